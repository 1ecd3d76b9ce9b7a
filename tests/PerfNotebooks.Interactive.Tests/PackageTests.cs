using System.Diagnostics;
using System.IO.Compression;
using System.Threading;
using System.Xml.Linq;

namespace PerfNotebooks.Interactive.Tests;

/// Packs PerfNotebooks.Interactive at its own version and checks the .nupkg the README's `#r` line gets.
public class PackageTests
{
    [Fact]
    // Issue 8: packed at a stable version it failed (NU5104, a stable package on the prerelease Formatting package), so
    // the README's `#r "nuget: PerfNotebooks.Interactive"` could not resolve.
    public async Task Nupkg_packs_at_its_own_prerelease_version_that_the_readme_line_resolves()
    {
        var output = Directory.CreateTempSubdirectory("perfnb-pack-");
        var project = Path.Combine(Paths.Root, "src", "PerfNotebooks.Interactive", "PerfNotebooks.Interactive.csproj");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "pack", project, "-c", "Release", "-o", output.FullName, "--nologo" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var log = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, await log + await errors);

        var file = Assert.Single(Directory.GetFiles(output.FullName, "PerfNotebooks.Interactive.*.nupkg"));
        using var package = ZipFile.OpenRead(file);
        var entries = package.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("lib/net10.0/PerfNotebooks.Interactive.dll", entries);
        Assert.Contains("interactive-extensions/dotnet/extension.dib", entries);
        using var nuspecStream = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        var nuspec = XDocument.Load(nuspecStream);
        var version = nuspec.Descendants().Single(e => e.Name.LocalName == "version").Value;
        Assert.Contains("-", version, StringComparison.Ordinal);
        var readme = File.ReadAllText(Path.Combine(Paths.Root, "README.md"));
        Assert.Contains("#r \"nuget: PerfNotebooks.Interactive, *-*\"", readme, StringComparison.Ordinal);
        Assert.DoesNotContain("#r \"nuget: PerfNotebooks.Interactive\"", readme, StringComparison.Ordinal);
        var ids = nuspec.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => (string)e.Attribute("id")!).ToList();
        Assert.Contains("PerfNotebooks", ids);
        Assert.Contains("PerfNotebooks.Rendering", ids);
        Assert.Contains("Microsoft.DotNet.Interactive.Formatting", ids);
        Assert.DoesNotContain(ids, id => id.StartsWith("Plotly", StringComparison.Ordinal));
        output.Delete(recursive: true);
    }
}

using System.Diagnostics;
using System.IO.Compression;
using System.Threading;
using System.Xml.Linq;

namespace PerfNotebooks.Interactive.Tests;

/// Packs PerfNotebooks.Interactive and checks the .nupkg a notebook's `#r "nuget: PerfNotebooks.Interactive"` gets.
public class PackageTests
{
    [Fact]
    public async Task Nupkg_holds_the_library_its_dependencies_and_extension_dib()
    {
        var output = Directory.CreateTempSubdirectory("perfnb-pack-");
        var project = Path.Combine(ExtensionDibTests.Root(), "src", "PerfNotebooks.Interactive", "PerfNotebooks.Interactive.csproj");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "pack", project, "-c", "Release", "-o", output.FullName, "-p:Version=0.1.0-test", "--nologo" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var log = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, await log + await errors);

        using var package = ZipFile.OpenRead(Path.Combine(output.FullName, "PerfNotebooks.Interactive.0.1.0-test.nupkg"));
        var entries = package.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("lib/net10.0/PerfNotebooks.Interactive.dll", entries);
        Assert.Contains("interactive-extensions/dotnet/extension.dib", entries);
        using var nuspec = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        var ids = XDocument.Load(nuspec).Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => (string)e.Attribute("id")!).ToList();
        Assert.Contains("PerfNotebooks", ids);
        Assert.Contains("PerfNotebooks.Rendering", ids);
        Assert.Contains("Microsoft.DotNet.Interactive.Formatting", ids);
        Assert.DoesNotContain(ids, id => id.StartsWith("Plotly", StringComparison.Ordinal));
        output.Delete(recursive: true);
    }
}

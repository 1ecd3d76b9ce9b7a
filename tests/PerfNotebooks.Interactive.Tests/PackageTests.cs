using System.IO.Compression;
using System.Xml.Linq;

namespace PerfNotebooks.Interactive.Tests;

/// The PerfNotebooks.Interactive .nupkg the README's `#r` line gets: a prerelease carrying the one-line extension.dib and none of the kernel's assemblies.
public class PackageTests
{
    [Fact]
    public async Task Nupkg_packs_at_its_own_prerelease_version_that_the_readme_line_resolves()
    {
        // The package the real-kernel tests load (packed once per run at a unique prerelease version).
        var packed = await RealKernel.PackageAsync();
        var project = XDocument.Load(Path.Combine(Paths.Root, "src", "PerfNotebooks.Interactive", "PerfNotebooks.Interactive.csproj"));
        Assert.Contains("-", project.Descendants("Version").Single().Value, StringComparison.Ordinal);
        var file = Assert.Single(Directory.GetFiles(packed.Folder, "PerfNotebooks.Interactive.*.nupkg"));
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
        // The kernel's assemblies are compile-time only: no dependency on them, none of them in the package.
        Assert.DoesNotContain(ids, id => id.StartsWith("Microsoft.DotNet.Interactive", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Contains("Microsoft.DotNet.Interactive", StringComparison.Ordinal));
        Assert.Equal("PerfNotebooks.Interactive.PerfKernelExtension.Load(Microsoft.DotNet.Interactive.KernelInvocationContext.Current.HandlingKernel);",
            ReadEntry(package, "interactive-extensions/dotnet/extension.dib").Split('\n').Select(l => l.Trim()).Single(l => l.Length > 0 && !l.StartsWith("#!", StringComparison.Ordinal)));
        Assert.DoesNotContain(ids, id => id.StartsWith("Plotly", StringComparison.Ordinal));
    }

    private static string ReadEntry(ZipArchive package, string name)
    {
        using var reader = new StreamReader(package.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }
}

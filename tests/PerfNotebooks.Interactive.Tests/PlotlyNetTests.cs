using System.Xml.Linq;
using Microsoft.FSharp.Core;

namespace PerfNotebooks.Interactive.Tests;

/// <summary>
/// Plotly.NET cannot load in the .NET Interactive kernel: it is built on a newer FSharp.Core than the kernel ships
/// (README, "Plotly.NET"). Read offline from the local NuGet cache (restore downloads the package, nothing references
/// it), this fails the day the Plotly.NET release named in the test project needs no newer FSharp.Core than the kernel's,
/// so the README's finding and our own figures can be revisited.
/// </summary>
public class PlotlyNetTests
{
    private const string PlotlyNetVersion = "6.0.0";

    [Fact]
    public void Plotly_net_needs_a_newer_fsharp_core_than_the_kernel_ships()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var nuspec = XDocument.Load(Path.Combine(packages, "plotly.net", PlotlyNetVersion, "plotly.net.nuspec"));
        var needed = nuspec.Descendants().Where(e => e.Name.LocalName == "dependency" && (string?)e.Attribute("id") == "FSharp.Core")
            .Select(e => Version.Parse(((string)e.Attribute("version")!).Trim('[', ']', '(', ')').Split(',')[0]))
            .Max()!;
        // The kernel's FSharp.Core: the one Microsoft.DotNet.Interactive.PackageManagement (the kernel's own package) brings.
        var kernel = typeof(FSharpOption<>).Assembly.GetName().Version!;

        Assert.Equal(new Version(10, 0, 0, 0), kernel);
        Assert.True(
            (needed.Major, needed.Minor).CompareTo((kernel.Major, kernel.Minor)) > 0,
            $"Plotly.NET {PlotlyNetVersion} needs FSharp.Core {needed}, which the kernel's FSharp.Core {kernel} satisfies: try it in the kernel and update README's Plotly.NET section");
    }
}

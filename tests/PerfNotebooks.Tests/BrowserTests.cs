using PerfNotebooks.Cli;

namespace PerfNotebooks.Tests;

/// Opens the report written by `perfnb report` in headless Chromium and checks every chart was drawn (plotly.js puts
/// its SVG, class "main-svg", inside each figure div). .ci/run installs Chromium when it is missing.
public class BrowserTests
{
    [Fact]
    public void Report_renders_every_chart_in_headless_chromium()
    {
        var folder = Directory.CreateTempSubdirectory("perfnb-browser-");
        var report = Path.Combine(folder.FullName, "report.html");
        var output = new StringWriter();
        Assert.Equal(0, PerfCli.Run(["report", "llama-3.1-70b", "--tp", "4", "-o", report], output, new StringWriter()));

        // plotly.js draws with scripts on; QUIC off and a virtual-time budget let it finish before the dump.
        var dom = HeadlessChromium.DumpDom(report, folder.FullName, "--disable-quic", "--virtual-time-budget=10000");

        // Each figure div (plotly adds "js-plotly-plot" to its class once drawn) must hold plotly's SVG.
        var figures = dom.Split("<div class=\"figure").Skip(1).ToList();
        Assert.Equal(9, figures.Count);
        Assert.All(figures, f => Assert.StartsWith(" js-plotly-plot\"", f, StringComparison.Ordinal));
        Assert.All(figures, f => Assert.Contains("class=\"main-svg\"", f, StringComparison.Ordinal));
        Assert.Contains("Roofline on H100-SXM", dom, StringComparison.Ordinal);
        Assert.Contains("<h2>Serving</h2>", dom, StringComparison.Ordinal);
        folder.Delete(recursive: true);
    }
}

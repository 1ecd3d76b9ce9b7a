using System.Diagnostics;
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

        var dom = DumpDom(report, folder.FullName);

        // Each figure div (plotly adds "js-plotly-plot" to its class once drawn) must hold plotly's SVG.
        var figures = dom.Split("<div class=\"figure").Skip(1).ToList();
        Assert.Equal(8, figures.Count);
        Assert.All(figures, f => Assert.StartsWith(" js-plotly-plot\"", f, StringComparison.Ordinal));
        Assert.All(figures, f => Assert.Contains("class=\"main-svg\"", f, StringComparison.Ordinal));
        Assert.Contains("Roofline on H100-SXM", dom, StringComparison.Ordinal);
        folder.Delete(recursive: true);
    }

    private static string DumpDom(string file, string profile)
    {
        var chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("Chromium is not installed (apt-get install chromium; .ci/run does this)");
        var start = new ProcessStartInfo(chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", $"--user-data-dir={Path.Combine(profile, "chromium")}",
                     "--virtual-time-budget=10000", "--dump-dom", new Uri(file).AbsoluteUri,
                 })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("Chromium did not finish within 120 s");
        }

        return stdout.Result;
    }
}

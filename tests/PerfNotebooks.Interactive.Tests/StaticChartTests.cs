using System.Text.RegularExpressions;
using PerfNotebooks.Tests;

namespace PerfNotebooks.Interactive.Tests;

/// <summary>
/// Every chart a notebook shows is drawn without JavaScript: a page made of the outputs' HTML (what an nbconvert
/// export or a static viewer shows; .ci/run checks the real nbconvert exports the same way) is opened in headless
/// Chromium under a policy that runs no script and loads nothing, and every figure must hold its SVG with marks in it.
/// </summary>
public partial class StaticChartTests
{
    [Fact]
    public void Every_chart_is_drawn_in_chromium_with_scripts_disabled()
    {
        PerfExtension.Register();
        var magic = PerfMagic.Current;
        magic.Run("model llama-3.1-8b");
        string[] lines = ["step --prefill 2048 --decode 4096x16", "roofline --decode 4096x16", "memory --context 8192", "sweep --decode-batch 1,8,64 --context 4k,32k"];
        var outputs = lines.SelectMany(l => NotebookHtml.Outputs(magic.Run(l))).ToList();
        var charts = outputs.Count(o => o.Figure is not null);
        var folder = Directory.CreateTempSubdirectory("perfnb-static-");
        var page = Path.Combine(folder.FullName, "outputs.html");
        File.WriteAllText(page, "<!DOCTYPE html><html><head><meta charset=\"utf-8\">" + NoScriptsNoNetwork + "</head><body>" + string.Concat(outputs.Select(o => o.Html)) + "</body></html>");

        var dom = HeadlessChromium.DumpDom(page, folder.FullName);

        var figures = FigurePattern().Matches(dom).Select(m => m.Value).ToList();
        Assert.Equal(3 + 1 + 1 + 3, charts);
        Assert.Equal(charts, figures.Count);
        Assert.All(figures, f =>
        {
            Assert.Contains("<svg class=\"perfnb-svg\"", f, StringComparison.Ordinal);
            Assert.Matches("<(rect x|polyline|circle)", f);
        });
        folder.Delete(recursive: true);
    }

    /// <summary>
    /// A policy that lets no script run and nothing load from anywhere (inline styles and data images only): the page
    /// as a reader without JavaScript or network sees it. (Chromium's own scripts-off setting also stops --dump-dom.)
    /// </summary>
    internal const string NoScriptsNoNetwork = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">";

    [GeneratedRegex("<div class=\"figure\".*?</svg>", RegexOptions.Singleline)]
    private static partial Regex FigurePattern();
}

using System.Text;
using System.Text.RegularExpressions;
using PerfNotebooks.Cli;
using PerfNotebooks.Rendering;
using PerfNotebooks.Rendering.Figures;

namespace PerfNotebooks.Tests;

/// The report as perfnb report writes it, approved without the inlined plotly.js bundle: the document (every table,
/// heading and note) with each figure's script cut out, then each figure's JSON on its own line.
public partial class ReportHtmlTests
{
    [GeneratedRegex(@"<script>\(function\(\)\{var f=(?<json>.*?);var draw=.*?\}\)\(\);</script>", RegexOptions.Singleline)]
    private static partial Regex FigureScript();

    [Fact]
    public void Report_of_llama_70b_tp4_on_h100_matches_snapshot()
    {
        var file = Path.Combine(Path.GetTempPath(), $"perfnb-report-{Guid.NewGuid():N}.html");
        try
        {
            var error = new StringWriter();
            var code = PerfCli.Run(["report", "llama-3.1-70b", "--tp", "4", "--gpu", "H100-SXM", "-o", file], new StringWriter(), error);
            Assert.Equal((0, string.Empty), (code, error.ToString()));

            Approvals.Verify(Normalize(File.ReadAllText(file)), "Report.llama70b_tp4_h100");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Serving_section_shows_the_benchmark_the_serve_options_ask_for_and_no_serve_leaves_it_out()
    {
        static string Report(params string[] extra)
        {
            var file = Path.Combine(Path.GetTempPath(), $"perfnb-report-{Guid.NewGuid():N}.html");
            try
            {
                var error = new StringWriter();
                var code = PerfCli.Run(["report", "llama-3.1-8b", "--gpu", "H100-SXM", "--no-sweep", "-o", file, .. extra], new StringWriter(), error);
                Assert.Equal((0, string.Empty), (code, error.ToString()));
                return File.ReadAllText(file);
            }
            finally
            {
                File.Delete(file);
            }
        }

        // The same benchmark through the front door: aiperf, 16 in flight, 320 measured after 32 warm-up requests.
        var model = PerfModel.Load("llama-3.1-8b");
        var gpu = Hardware.GpuCatalog.Find("H100-SXM");
        var expected = model.Serve(gpu, Serving.AiperfClient.Standard(16, 2048, 256));
        var html = Report("--concurrency", "16", "--input-len", "2048", "--output-len", "256");
        var section = html[html.IndexOf("<h2>Serving</h2>", StringComparison.Ordinal)..html.IndexOf("<h2>GPU</h2>", StringComparison.Ordinal)];
        Assert.Contains("aiperf concurrency 16, 320 requests after 32 warm-up", section, StringComparison.Ordinal);
        Assert.Contains($"<td>mean TTFT</td><td class=\"num\">{Units.Seconds(expected.Expected!.Ttft.MeanSeconds)}</td><td class=\"num\">{Units.Seconds(expected.Bound!.Ttft.MeanSeconds)}</td>", section, StringComparison.Ordinal);
        Assert.Contains($"<td>mean TPOT</td><td class=\"num\">{Units.Seconds(expected.Expected.Tpot.MeanSeconds)}</td>", section, StringComparison.Ordinal);
        Assert.Contains("Plotly.newPlot", section, StringComparison.Ordinal);

        Assert.DoesNotContain("<h2>Serving</h2>", Report("--no-serve"), StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_keeps_a_changed_figure_trace_visible()
    {
        static string Page(string trace) => "<p>x</p>" + FigureHtml.Render(
            new Figure([new BarTrace { Name = trace, Y = [1] }], new Layout { Title = "t", XAxis = new Axis("x"), YAxis = new Axis("y") }), "fig-1");
        var html = Page("attn.qkv_proj");
        var changed = Page("attn.out_proj");

        Assert.NotEqual(Normalize(html), Normalize(changed));
        Assert.DoesNotContain("Plotly.newPlot", Normalize(html), StringComparison.Ordinal);
    }

    // The bundle (about 5 MB) and its version become placeholders; each figure's script becomes a marker in the
    // document and its JSON a line after it, and each table row ends its line, so a diff shows which row or trace changed.
    private static string Normalize(string html)
    {
        var text = html.Replace(PlotlyJs.InlineTag(), "<script>/* plotly.js bundle */</script>", StringComparison.Ordinal)
            .Replace("plotly.js " + PlotlyJs.Version, "plotly.js VERSION", StringComparison.Ordinal)
            .Replace("</tr>", "</tr>\n", StringComparison.Ordinal);
        var figures = new StringBuilder();
        var count = 0;
        var document = FigureScript().Replace(text, m =>
        {
            count++;
            figures.Append("== figure ").Append(count).Append(" ==\n").Append(m.Groups["json"].Value).Append('\n');
            return $"<script>/* figure {count} */</script>";
        });
        return document + "\n" + figures;
    }
}

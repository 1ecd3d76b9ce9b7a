using System.Net;
using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive.Formatting;
using PerfNotebooks.Hardware;
using PerfNotebooks.Rendering;

namespace PerfNotebooks.Interactive.Tests;

public class FormatterTests : FormatterTestBase
{
    [Fact]
    public void Results_format_as_the_shared_renderers_html()
    {
        PerfMagic.Current.Run("model llama-3.1-8b");
        var roofline = PerfMagic.Current.Run("roofline --decode 4096");

        var html = roofline.ToDisplayString("text/html");

        Assert.Contains(HtmlTableRenderer.Render(Tables.Roofline(roofline.Roofline)), html, StringComparison.Ordinal);
        Assert.Equal(html, roofline.Roofline.ToDisplayString("text/html"), new IdInsensitive());
    }

    // Fixed defect: plotly.js and the stylesheet went out once per session, so a re-run or reopened output showed no chart.
    [Fact]
    public void Every_output_renders_on_its_own_the_second_time_too()
    {
        PerfMagic.Current.Run("model llama-3.1-8b");
        var step = PerfMagic.Current.Run("step --prefill 1024");

        var first = NotebookHtml.Outputs(step);
        var second = NotebookHtml.Outputs(step);

        Assert.Equal(5, first.Length);
        Assert.Equal(first.Select(o => o.Figure?.ToJson()), second.Select(o => o.Figure?.ToJson()));
        Assert.All(first.Concat(second), o =>
        {
            Assert.StartsWith("<div class=\"perfnb-out\"><style>" + NotebookHtml.Css + "</style>", o.Html, StringComparison.Ordinal);
            Assert.DoesNotContain(PlotlyJs.Script[..120], o.Html, StringComparison.Ordinal);
            Assert.True(o.Html.Length < 20_000, $"{o.Html.Length} characters");
        });
        Assert.Equal(3, first.Count(o => o.Figure is not null));
    }

    [Fact]
    public void A_chart_output_carries_the_plotly_mime_type_with_html_as_the_fallback()
    {
        PerfMagic.Current.Run("model llama-3.1-8b");
        var roofline = PerfMagic.Current.Run("roofline --decode 4096").Roofline;

        var chart = NotebookHtml.Outputs(roofline)[0];

        Assert.Equal(["application/vnd.plotly.v1+json", "text/html"], chart.MimeBundle.Select(p => p.Key));
        Assert.Equal(PerfCharts.Roofline(roofline).ToJson(), chart.MimeBundle[0].Value);
        Assert.Contains("if(typeof window.Plotly==='undefined'){return;}", chart.Html, StringComparison.Ordinal);
        Assert.Contains("Roofline on H100-SXM", chart.Html, StringComparison.Ordinal);
    }

    // Fixed defect: the report's stylesheet restyled the notebook's own h1/h2 and body.
    [Fact]
    public void The_stylesheet_styles_only_our_own_container()
    {
        var selectors = Regex.Matches(NotebookHtml.Css, @"(?:^|\})([^{}]+)\{").Select(m => m.Groups[1].Value).SelectMany(s => s.Split(',')).ToList();

        Assert.NotEmpty(selectors);
        Assert.All(selectors, s => Assert.StartsWith(".perfnb-out", s, StringComparison.Ordinal));
    }

    [Fact]
    public void A_figure_value_prefers_the_plotly_mime_type()
    {
        PerfMagic.Current.Run("model llama-3.1-8b");
        var figure = PerfCharts.Roofline(PerfMagic.Current.Run("roofline --decode 4096").Roofline);

        Assert.Equal("application/vnd.plotly.v1+json", Formatter.GetPreferredMimeTypesFor(figure.GetType()).First());
        Assert.Equal(figure.ToJson(), figure.ToDisplayString("application/vnd.plotly.v1+json"));
    }

    [Fact]
    public void A_results_figures_are_its_chart_outputs()
    {
        PerfMagic.Current.Run("model llama-3.1-8b");

        var step = PerfMagic.Current.Run("step --prefill 1024");

        Assert.Equal(
            NotebookHtml.Outputs(step).Where(o => o.Figure is not null).Select(o => o.Figure!.ToJson()),
            step.Figures.Select(f => f.ToJson()));
        Assert.Equal(3, step.Figures.Length);
        Assert.Empty(PerfMagic.Current.Run("help").Figures);
    }

    [Fact]
    public void Plain_text_formatters_are_registered()
    {
        var model = PerfMagic.Current.Run("model mixtral-8x7b");

        // The one-line summary, then the same rows as the HTML table.
        var text = model.ToDisplayString("text/plain");
        Assert.StartsWith("mixtral-8x7b: 46.7 Gparams (12.9 Gactive), 32 layers, bfloat16\n", text, StringComparison.Ordinal);
        Assert.Equal(text, model.Model.ToDisplayString("text/plain"));
        var html = model.ToDisplayString("text/html");
        foreach (var row in ValueTables.Of(model).Single().DataRows)
        {
            Assert.Contains(row.Cells[0].Text, text, StringComparison.Ordinal);
            Assert.Contains(System.Net.WebUtility.HtmlEncode(row.Cells[0].Text), html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_value_a_cell_returns_has_html_and_text_from_the_same_rows()
    {
        var perf = PerfModel.Load("llama-3.1-8b");
        var step = Batch.Prefill(512).WithDecodes(4, contextLength: 2048);
        var h100 = GpuCatalog.Find("H100-SXM");
        object[] values =
        [
            perf, perf.Step(step), perf.Flops(step), perf.Roofline(step, h100), perf.Memory(h100, contextLength: 8192), perf.Summary, h100,
            perf.Sweep("H100-SXM", [1, 8], [4096]),
            perf.Serve(h100, new PerfNotebooks.Serving.StaticBatchClient { Batch = 4, Dataset = PerfNotebooks.Serving.RandomDataset.Fixed(512, 16) }),
        ];

        foreach (var value in values)
        {
            var tables = ValueTables.Of(value);
            Assert.NotEmpty(tables);
            var html = value.ToDisplayString("text/html");
            var text = value.ToDisplayString("text/plain");
            Assert.StartsWith("<div class=\"perfnb-out\">", html, StringComparison.Ordinal);
            foreach (var cell in tables.SelectMany(t => t.DataRows).SelectMany(r => r.Cells).Where(c => c.Text.Length > 0))
            {
                Assert.Contains(cell.Text, text, StringComparison.Ordinal);
                Assert.Contains(System.Net.WebUtility.HtmlEncode(cell.Text), html, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Skipped_components_show_with_their_reason()
    {
        var model = PerfMagic.Current.Run("model llama-3.1-8b --dtype float16 --quantization bitsandbytes");

        var html = model.ToDisplayString("text/html");

        Assert.Contains("skipped: attn", html, StringComparison.Ordinal);
        Assert.Contains("unsupported_quant_method", html, StringComparison.Ordinal);
    }

    private sealed class IdInsensitive : IEqualityComparer<string>
    {
        public bool Equals(string? x, string? y) => Normalise(x) == Normalise(y);

        public int GetHashCode(string obj) => Normalise(obj).GetHashCode(StringComparison.Ordinal);

        private static string Normalise(string? html) => Regex.Replace(html ?? string.Empty, "perfnb-[0-9a-f]{12}", "perfnb-ID");
    }
}

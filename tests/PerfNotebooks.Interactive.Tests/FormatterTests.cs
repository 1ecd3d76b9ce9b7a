using Microsoft.DotNet.Interactive.Formatting;
using PerfNotebooks.Analysis;
using PerfNotebooks.Rendering;

namespace PerfNotebooks.Interactive.Tests;

public class FormatterTests : FormatterTestBase
{
    private static Dictionary<string, string?> Options(params (string Key, string? Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public void Results_format_as_the_shared_renderers_html()
    {
        PerfMagic.Current.Run("model", Options(("name", "llama-3.1-8b")));
        var roofline = (RooflineReport)PerfMagic.Current.Run("roofline", Options(("decode", "4096")));

        var html = roofline.ToDisplayString("text/html");

        Assert.Contains(HtmlTables.Roofline(roofline), html, StringComparison.Ordinal);
        Assert.Contains(PerfCharts.Roofline(roofline).ToJson(), html, StringComparison.Ordinal);
    }

    [Fact]
    public void Plotly_is_inlined_once_per_page_not_once_per_chart()
    {
        PerfMagic.Current.Run("model", Options(("name", "llama-3.1-8b")));
        var step = PerfMagic.Current.Run("step", Options(("prefill", "1024")));
        var memory = PerfMagic.Current.Run("memory", Options());
        var marker = PlotlyJs.Script[..120];

        var first = step.ToDisplayString("text/html");
        var second = memory.ToDisplayString("text/html");

        Assert.Equal(1, first.Split(marker).Length - 1);
        Assert.Contains("if(typeof window.Plotly==='undefined')", first, StringComparison.Ordinal);
        Assert.DoesNotContain(marker, second, StringComparison.Ordinal);
        Assert.Contains("Plotly.newPlot(", second, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_text_formatters_are_registered()
    {
        var model = PerfMagic.Current.Run("model", Options(("name", "mixtral-8x7b")));

        Assert.Equal("mixtral-8x7b: 46.7 Gparams (12.9 Gactive), 32 layers, bfloat16", model.ToDisplayString("text/plain"));
    }

    [Fact]
    public void Skipped_components_show_with_their_reason()
    {
        var model = PerfMagic.Current.Run("model", Options(("name", "llama-3.1-8b"), ("dtype", "float16"), ("quantization", "bitsandbytes")));

        var html = model.ToDisplayString("text/html");

        Assert.Contains("skipped: attn", html, StringComparison.Ordinal);
        Assert.Contains("unsupported_quant_method", html, StringComparison.Ordinal);
    }
}

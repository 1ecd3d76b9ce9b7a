using System.Globalization;
using System.Text.Json;
using PerfNotebooks.Analysis;
using PerfNotebooks.Hardware;
using PerfNotebooks.Rendering;

namespace PerfNotebooks.Tests;

/// Chart readability: what a reader must be able to tell apart on each figure.
public class PerfChartsTests
{
    private static readonly GpuSpec H100 = GpuCatalog.Find("H100-SXM");

    // A compute-bound prefill: every kernel sits on the bf16 roof near 1,000 FLOP/B, where drawn labels overlapped.
    private static RooflineReport Prefill70b() =>
        Roofline.Analyze(Models.Catalog("llama-3.1-70b", new EngineSettings { TensorParallel = 4 }), Batch.Prefill(2048).AddMany(4, 1, 4096, false), H100);

    private static List<JsonElement> Traces(Rendering.Figures.Figure figure) =>
        [.. JsonDocument.Parse(figure.ToJson()).RootElement.GetProperty("data").EnumerateArray()];

    [Fact]
    public void Roofline_names_kernels_in_the_legend_and_hover_never_as_text_on_the_plot()
    {
        var report = Prefill70b();

        var figure = PerfCharts.Roofline(report);
        var json = figure.ToJson();
        var traces = Traces(figure);

        Assert.DoesNotContain("\"text\":[", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"annotations\"", json, StringComparison.Ordinal);
        Assert.All(traces, t => Assert.DoesNotContain("text", t.GetProperty("mode").GetString()!, StringComparison.Ordinal));
        string[] kernels = ["attn.qkv", "attn.attention", "attn.out", "ffn.dense", "unembed"];
        Assert.Equal(kernels, report.Operations.Select(o => o.Name));
        var colors = kernels.Select(k => traces.Single(t => t.GetProperty("name").GetString() == k).GetProperty("marker").GetProperty("color").GetString()).ToList();
        Assert.Equal(kernels.Length, colors.Distinct().Count());
        Assert.Single(traces, t => t.GetProperty("name").GetString() == "unembed (component)");
    }

    [Fact]
    public void Roofline_merges_dtypes_with_equal_peaks_into_one_roof()
    {
        var traces = Traces(PerfCharts.Roofline(Prefill70b()));
        var roofs = traces.Select(t => t.GetProperty("name").GetString()!).Where(n => n.Contains(" roof ", StringComparison.Ordinal) && !n.StartsWith("memory", StringComparison.Ordinal)).ToList();

        Assert.Equal(989.4e12, H100.PeakFlopsPerSecond[ComputeDtype.Bf16]);
        Assert.Equal(989.4e12, H100.PeakFlopsPerSecond[ComputeDtype.Fp16]);
        Assert.Contains("bf16/fp16 roof 989 TFLOP/s", roofs);
        Assert.Equal(H100.PeakFlopsPerSecond.Values.Distinct().Count(), roofs.Count);
        Assert.Single(traces, t => t.GetProperty("name").GetString()!.StartsWith("memory roof", StringComparison.Ordinal));
    }

    [Fact]
    public void Roofline_shows_an_expected_marker_beside_each_bound_marker_when_the_data_has_both()
    {
        var report = Prefill70b();

        var single = Traces(PerfCharts.Roofline(report)).Single(t => t.GetProperty("name").GetString() == "attn.qkv");
        var both = Traces(PerfCharts.Roofline(report, r => r.Seconds * 2)).Single(t => t.GetProperty("name").GetString() == "attn.qkv");

        Assert.Equal(1, single.GetProperty("y").GetArrayLength());
        var y = both.GetProperty("y").EnumerateArray().Select(v => v.GetDouble()).ToList();
        Assert.Equal(2, y.Count);
        Assert.Equal(y[0] / 2, y[1], 6);
        Assert.Equal(["circle", "circle-open"], both.GetProperty("marker").GetProperty("symbol").EnumerateArray().Select(s => s.GetString()));
        Assert.EndsWith("filled = roofline bound, open = expected", PerfCharts.Roofline(report, r => r.Seconds * 2).Layout.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void Sweep_lines_for_different_contexts_have_distinct_hues()
    {
        var rows = Sweep.Run(new SweepSpec
        {
            Models = ["llama-3.1-8b"],
            Gpus = ["H100-SXM"],
            Batches = [.. BatchShape.DecodeGrid([1, 8, 64], [1024, 4096, 16384, 65536])],
        }).ToList();

        var colors = Traces(PerfCharts.SweepLines(rows, "decode_batch", r => r.OutputTokensPerSecondPerGpu, "tok/s"))
            .Select(t => t.GetProperty("line").GetProperty("color").GetString()!).ToList();

        Assert.Equal(4, colors.Count);
        var hues = colors.Select(Hue).ToList();
        for (var i = 0; i < hues.Count; i++)
        {
            for (var j = i + 1; j < hues.Count; j++)
            {
                var apart = Math.Abs(hues[i] - hues[j]);
                Assert.True(Math.Min(apart, 360 - apart) >= 25, $"{colors[i]} and {colors[j]} are {Math.Min(apart, 360 - apart):F0}° apart");
            }
        }
    }

    [Fact]
    public void Figure_json_is_deterministic()
    {
        Assert.Equal(PerfCharts.Roofline(Prefill70b()).ToJson(), PerfCharts.Roofline(Prefill70b()).ToJson());
    }

    private static double Hue(string hex)
    {
        var rgb = Enumerable.Range(0, 3).Select(i => int.Parse(hex.AsSpan(1 + (2 * i), 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0).ToArray();
        var (max, min) = (rgb.Max(), rgb.Min());
        var delta = max - min;
        var hue = delta == 0 ? 0 : max == rgb[0] ? 60 * (((rgb[1] - rgb[2]) / delta) % 6) : max == rgb[1] ? 60 * (((rgb[2] - rgb[0]) / delta) + 2) : 60 * (((rgb[0] - rgb[1]) / delta) + 4);
        return (hue + 360) % 360;
    }
}

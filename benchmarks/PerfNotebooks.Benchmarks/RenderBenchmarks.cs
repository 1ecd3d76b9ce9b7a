using BenchmarkDotNet.Attributes;
using PerfNotebooks.Analysis;
using PerfNotebooks.Rendering;

namespace PerfNotebooks.Benchmarks;

/// Rendering a 10,000-point sweep (100 decode batch sizes × 100 context lengths) to HTML: the full table plus the
/// line chart and the heatmap; returns the HTML length. The figure JSON size is reported in benchmarks/README.md.
[MemoryDiagnoser]
public class RenderBenchmarks
{
    private SweepRow[] _rows = [];

    [Params("llama-3.1-70b")]
    public string Model { get; set; } = "llama-3.1-70b";

    [GlobalSetup]
    public void Setup() => _rows = [.. Sweep.Run(new SweepSpec
    {
        Models = [Model],
        Gpus = ["H100-SXM"],
        TensorParallel = [8],
        Batches = [.. BatchShape.DecodeGrid(Enumerable.Range(1, 100).Select(b => (long)b * 4), Enumerable.Range(1, 100).Select(c => (long)c * 1024))],
    })];

    [Benchmark(Description = "10k-point sweep to HTML (table + charts)")]
    public int SweepToHtml()
    {
        var table = HtmlTableRenderer.Render(Tables.Sweep(_rows));
        var lines = FigureHtml.Render(PerfCharts.SweepLines(_rows, "decode_batch", r => r.OutputTokensPerSecondPerGpu, "output tokens/s per GPU (tok/s)"), "fig-1");
        var heatmap = FigureHtml.Render(PerfCharts.SweepHeatmap(_rows, "decode_batch", "decode_context", r => r.Mfu * 100, "MFU (%)"), "fig-2");
        return table.Length + lines.Length + heatmap.Length;
    }

    [Benchmark(Description = "10k-point chart JSON only")]
    public int ChartsJson() =>
        PerfCharts.SweepLines(_rows, "decode_batch", r => r.OutputTokensPerSecondPerGpu, "tok/s").ToJson().Length +
        PerfCharts.SweepHeatmap(_rows, "decode_batch", "decode_context", r => r.Mfu * 100, "MFU (%)").ToJson().Length;
}

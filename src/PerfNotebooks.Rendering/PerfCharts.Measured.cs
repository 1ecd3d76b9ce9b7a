using System.Collections.Immutable;
using System.Globalization;
using PerfNotebooks.Measured;
using PerfNotebooks.Rendering.Figures;

namespace PerfNotebooks.Rendering;

// Measured beside predicted.
public static partial class PerfCharts
{
    /// <summary>The chart of any comparison <c>PerfModel.Measured</c> returns (a log's steps, a trace's categories, a
    /// benchmark's latencies); empty for a scrape, which has none.</summary>
    public static ImmutableArray<Figure> Measured(IMeasuredComparison comparison) => comparison switch
    {
        LogComparison log => [MeasuredSteps(log)],
        TraceComparison trace => [MeasuredCategories(trace)],
        BenchmarkComparison bench => [MeasuredBenchmark(bench)],
        _ => [],
    };

    /// <summary>A benchmark's latency figures (mean, median and p99 TTFT, TPOT, ITL, end-to-end; ms): measured beside
    /// the replay's prediction and its roofline bound, for the figures the result has.</summary>
    public static Figure MeasuredBenchmark(BenchmarkComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var fields = BenchmarkComparison.Fields.Where(f => f.EndsWith("_ms", StringComparison.Ordinal) && comparison.Result.Get(f) is not null).ToImmutableArray();
        double Value(ImmutableDictionary<string, double> figures, string field) => figures.TryGetValue(field, out var v) ? v : double.NaN;
        return new Figure(
        [
            new BarTrace { Name = "measured", XLabels = fields, Y = [.. fields.Select(f => comparison.Result.Get(f)!.Value)], Color = Palette.Categorical(0) },
            new BarTrace { Name = "predicted", XLabels = fields, Y = [.. fields.Select(f => Value(comparison.Predicted, f))], Color = Palette.Categorical(1) },
            new BarTrace { Name = "bound", XLabels = fields, Y = [.. fields.Select(f => Value(comparison.Bound, f))], Color = Palette.Categorical(2) },
        ], new Layout
        {
            Title = "Benchmark latencies: measured, predicted (replay) and bound",
            XAxis = new Axis("figure", Category: true),
            YAxis = new Axis("ms", TickSuffix: " ms"),
            BarMode = "group",
        });
    }

    /// <summary>Measured step time against the expected time of the same batch, one marker per step and kind (prefill,
    /// decode, mixed), with the line where they are equal: a marker above the line is a step slower than expected.</summary>
    public static Figure MeasuredSteps(LogComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var traces = ImmutableArray.CreateBuilder<Trace>();
        var max = 1e-6;
        var kinds = new[] { "prefill", "decode", "mixed" };
        for (var k = 0; k < kinds.Length; k++)
        {
            var steps = comparison.Steps.Where(s => s.Kind == kinds[k]).ToList();
            if (steps.Count == 0)
            {
                continue;
            }

            max = Math.Max(max, steps.Max(s => Math.Max(s.MeasuredSeconds, s.Expected.ExpectedSeconds)));
            traces.Add(new ScatterTrace
            {
                Name = kinds[k],
                Mode = "markers",
                X = [.. steps.Select(s => s.Expected.ExpectedSeconds * 1e3)],
                Y = [.. steps.Select(s => s.MeasuredSeconds * 1e3)],
                Color = Palette.Categorical(k),
                HoverText = [.. steps.Select(s => string.Create(CultureInfo.InvariantCulture,
                    $"engine {s.Step.Engine} iteration {s.Step.Iteration}<br>{s.Step.PrefillTokens} prefill tok, {s.Step.DecodeTokens} decode tok<br>measured {s.Step.ElapsedMilliseconds:0.00} ms, expected {s.Expected.ExpectedSeconds * 1e3:0.00} ms"))],
            });
        }

        traces.Add(new ScatterTrace { Name = "measured = expected", X = [0, max * 1e3], Y = [0, max * 1e3], Dash = "dot", Color = "#888888" });
        return new Figure(traces.ToImmutable(), new Layout
        {
            Title = "Measured step time against expected (per step)",
            XAxis = new Axis("expected (ms)", TickSuffix: " ms"),
            YAxis = new Axis("measured (ms)", TickSuffix: " ms"),
        });
    }

    /// <summary>Kernel time per category: measured per traced step beside the expected time of the batch.</summary>
    public static Figure MeasuredCategories(TraceComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var categories = comparison.Gaps.Select(g => g.Category).ToList();
        var labels = categories.Select(KernelClassifier.Key).ToImmutableArray();
        return new Figure(
        [
            new BarTrace { Name = "measured", XLabels = labels, Y = [.. categories.Select(c => comparison.MeasuredPerStep[(int)c] * 1e3)], Color = Palette.Categorical(0) },
            new BarTrace { Name = "expected", XLabels = labels, Y = [.. categories.Select(c => comparison.Expected.Seconds(c) * 1e3)], Color = Palette.Categorical(1) },
        ], new Layout
        {
            Title = "Kernel time per step by category: measured (trace) and expected",
            XAxis = new Axis("category", Category: true),
            YAxis = new Axis("ms per step", TickSuffix: " ms"),
            BarMode = "group",
        });
    }
}

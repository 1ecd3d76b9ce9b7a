using System.Collections.Immutable;
using System.Globalization;
using PerfNotebooks.Analysis;
using PerfNotebooks.Execution;
using PerfNotebooks.Rendering.Figures;

namespace PerfNotebooks.Rendering;

/// <summary>Every chart PerfNotebooks draws, as plotly.js figures.</summary>
public static class PerfCharts
{
    /// <summary>
    /// Stacked bars of one metric: one bar per component, one segment per term (shades of the component's colour),
    /// hover with the exact count.
    /// </summary>
    public static Figure Breakdown(Breakdown breakdown, Metric metric, Scope scope)
    {
        ArgumentNullException.ThrowIfNull(breakdown);
        var (title, unit) = metric switch
        {
            Metric.Flops => ("FLOPs", "FLOP"),
            Metric.ReadBytes => ("Bytes read", "B"),
            _ => ("Bytes written", "B"),
        };
        var components = breakdown.Select(t => t.Component).Distinct().ToList();
        var traces = ImmutableArray.CreateBuilder<Trace>();
        foreach (var component in components)
        {
            var terms = breakdown.Where(t => t.Component == component).ToList();
            for (var i = 0; i < terms.Count; i++)
            {
                var term = terms[i];
                traces.Add(new BarTrace
                {
                    Name = term.Qualified,
                    XLabels = [component],
                    Y = [(double)term.Value],
                    Color = Palette.Shade(component, i, terms.Count),
                    LegendGroup = component,
                    HoverText = [$"{term.Qualified}<br>{Exact(term.Value)} {unit} ({Units.Si(term.Value, unit)})"],
                });
            }
        }

        return new Figure(traces.ToImmutable(), new Layout
        {
            Title = $"{title} {(scope == Scope.PerGpu ? "per GPU" : "whole model")}: {Units.Si(breakdown.Total, unit)}",
            XAxis = new Axis("component"),
            YAxis = new Axis(title + " (" + unit + ")", TickSuffix: unit),
            BarMode = "stack",
        });
    }

    /// <summary>
    /// Log-log roofline: the memory roof up to the ridge point, a compute roof per dtype the GPU has, the ridge of the
    /// chosen dtype marked, and one labelled marker per operation, per component and for the step (achieved FLOP/s
    /// = FLOPs ÷ roofline time).
    /// </summary>
    public static Figure Roofline(RooflineReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var bandwidth = report.BytesPerSecond;
        var points = report.Operations.Concat(report.Components).Append(report.Step)
            .Where(r => r.Flops > 0 && r.Bytes > 0 && r.Seconds > 0).ToList();
        var intensities = points.Select(p => p.ArithmeticIntensity).Append(report.Ridge).ToList();
        var xMin = Math.Pow(10, Math.Floor(Math.Log10(Math.Max(1e-3, intensities.Min() / 3))));
        var xMax = Math.Pow(10, Math.Ceiling(Math.Log10(intensities.Max() * 3)));
        var shapes = ImmutableArray.CreateBuilder<Shape>();
        var notes = ImmutableArray.CreateBuilder<Annotation>();
        var maxPeak = 0.0;
        foreach (var (dtype, rawPeak) in report.Gpu.PeakFlopsPerSecond.OrderBy(p => p.Value))
        {
            var peak = report.AppliedEfficiency ? rawPeak * report.Gpu.FlopsEfficiency : rawPeak;
            maxPeak = Math.Max(maxPeak, peak);
            var chosen = dtype == report.Dtype;
            shapes.Add(new Shape(peak / bandwidth, peak, xMax, peak, chosen ? Palette.Of("step") : Palette.Of("free"), chosen ? null : "dot"));
            notes.Add(new Annotation(xMax, peak, $"{dtype.ToString().ToLowerInvariant()} {Units.FlopRate(peak)}", Arrow: false));
        }

        shapes.Add(new Shape(xMin, xMin * bandwidth, maxPeak / bandwidth, maxPeak, Palette.Of("kv")));
        notes.Add(new Annotation(report.Ridge, report.PeakFlopsPerSecond,
            $"ridge {Units.Significant(report.Ridge)} FLOP/B"));

        var traces = ImmutableArray.CreateBuilder<Trace>();
        foreach (var group in new[] { ("operation", report.Operations), ("component", report.Components), ("step", [report.Step]) })
        {
            var rows = group.Item2.Where(points.Contains).ToList();
            if (rows.Count == 0)
            {
                continue;
            }

            traces.Add(new ScatterTrace
            {
                Name = group.Item1 + "s",
                Mode = "markers+text",
                X = [.. rows.Select(r => r.ArithmeticIntensity)],
                Y = [.. rows.Select(r => (double)r.Flops / r.Seconds)],
                Text = [.. rows.Select(r => r.Name)],
                Symbol = group.Item1 switch { "operation" => "circle", "component" => "diamond", _ => "star" },
                MarkerSize = group.Item1 == "step" ? 14 : 10,
                Color = group.Item1 == "step" ? Palette.Of("step") : null,
                HoverText = [.. rows.Select(r =>
                    $"{r.Name}<br>{Exact(r.Flops)} FLOP, {Exact(r.Bytes)} B<br>{Units.Significant(r.ArithmeticIntensity)} FLOP/B, {r.Bound.ToString().ToLowerInvariant()}-bound<br>{Units.Seconds(r.Seconds)}")],
            });
        }

        return new Figure(traces.ToImmutable(), new Layout
        {
            Title = $"Roofline on {report.Gpu.Name} ({report.Dtype.ToString().ToLowerInvariant()}, {Units.Bandwidth(bandwidth)})",
            XAxis = new Axis("arithmetic intensity (FLOP/B)", Log: true),
            YAxis = new Axis("attainable (FLOP/s)", Log: true),
            Shapes = shapes.ToImmutable(),
            Annotations = notes.ToImmutable(),
            Height = 480,
        });
    }

    /// <summary>Lines of a metric over a sweep axis, one line per series (model, GPU, layout).</summary>
    /// <param name="rows">Sweep rows (invalid and non-fitting points are left out).</param>
    /// <param name="x">The axis: <c>decode_batch</c>, <c>decode_context</c> or <c>prefill_tokens</c>.</param>
    /// <param name="metric">What to plot, with its unit in <paramref name="yTitle"/>.</param>
    /// <param name="yTitle">The y-axis title, with the unit.</param>
    public static Figure SweepLines(IEnumerable<SweepRow> rows, string x, Func<SweepRow, double> metric, string yTitle)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(metric);
        var valid = rows.Where(r => r.Error is null).ToList();
        var traces = ImmutableArray.CreateBuilder<Trace>();
        var seriesIndex = 0;
        foreach (var series in valid.GroupBy(r => SeriesName(r, x)))
        {
            var points = series.OrderBy(r => Axis(r, x)).ToList();
            traces.Add(new ScatterTrace
            {
                Name = series.Key,
                Mode = "lines+markers",
                X = [.. points.Select(r => (double)Axis(r, x))],
                Y = [.. points.Select(metric)],
                MarkerSize = 5,
                Color = Palette.Shade(points[0].Config.Model.Contains("moe", StringComparison.OrdinalIgnoreCase) ? "ffn" : "attn", seriesIndex % 6, 6),
                HoverTemplate = "%{fullData.name}<br>" + x + " %{x}<br>%{y:.4s}<extra></extra>",
            });
            seriesIndex++;
        }

        return new Figure(traces.ToImmutable(), new Layout
        {
            Title = $"{yTitle} by {x.Replace('_', ' ')}",
            XAxis = new Axis(x.Replace('_', ' ') + (x.Contains("batch", StringComparison.Ordinal) ? " (requests)" : " (tokens)"), Log: true),
            YAxis = new Axis(yTitle, Log: true),
        });
    }

    /// <summary>A heatmap of a metric over two sweep axes (decode batch × context by default); missing or invalid points are blank.</summary>
    public static Figure SweepHeatmap(IEnumerable<SweepRow> rows, string x, string y, Func<SweepRow, double> metric, string title)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(metric);
        var valid = rows.Where(r => r.Error is null).ToList();
        var xs = valid.Select(r => Axis(r, x)).Distinct().Order().ToList();
        var ys = valid.Select(r => Axis(r, y)).Distinct().Order().ToList();
        var cells = valid.GroupBy(r => (Axis(r, x), Axis(r, y))).ToDictionary(g => g.Key, g => metric(g.First()));
        return new Figure(
        [
            new HeatmapTrace
            {
                Name = title,
                XLabels = [.. xs.Select(v => v.ToString(CultureInfo.InvariantCulture))],
                YLabels = [.. ys.Select(v => v.ToString(CultureInfo.InvariantCulture))],
                Z = [.. ys.Select(yv => xs.Select(xv => cells.TryGetValue((xv, yv), out var z) ? z : double.NaN).ToImmutableArray())],
                ColorBarTitle = title,
                HoverTemplate = x + " %{x}<br>" + y + " %{y}<br>%{z:.4s}<extra></extra>",
            },
        ], new Layout
        {
            Title = $"{title} over {x.Replace('_', ' ')} × {y.Replace('_', ' ')}",
            XAxis = new Axis(x.Replace('_', ' '), Category: true),
            YAxis = new Axis(y.Replace('_', ' '), Category: true),
        });
    }

    /// <summary>Memory per GPU for each plan: weights by part, KV cache, reserve and what the utilisation leaves free, stacked.</summary>
    public static Figure MemoryPlans(IEnumerable<(string Label, MemoryPlan Plan)> plans)
    {
        ArgumentNullException.ThrowIfNull(plans);
        var list = plans.ToList();
        var labels = list.Select(p => p.Label).ToImmutableArray();
        var parts = list.SelectMany(p => p.Plan.Weights.Select(w => w.Part)).Distinct().ToList();
        var traces = ImmutableArray.CreateBuilder<Trace>();
        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            var bytes = list.Select(p => (double)p.Plan.Weights.Where(w => w.Part == part).Select(w => w.Bytes).FirstOrDefault()).ToList();
            traces.Add(Bar("weights: " + part, labels, bytes, Palette.Shade(part == "embed" ? "unembed" : part, i % 3, 3), "weights"));
        }

        traces.Add(Bar("KV cache", labels, [.. list.Select(p => Math.Max(0, p.Plan.KvCacheBytes))], Palette.Of("kv"), "kv"));
        traces.Add(Bar("reserve", labels, [.. list.Select(p => p.Plan.ReserveBytes)], Palette.Shade("tp", 2, 3), "reserve"));
        traces.Add(Bar("outside utilisation", labels, [.. list.Select(p => p.Plan.UnusedBytes)], Palette.Of("free"), "free"));
        return new Figure(traces.ToImmutable(), new Layout
        {
            Title = "Memory per GPU: weights, KV cache, free",
            XAxis = new Axis("layout"),
            YAxis = new Axis("bytes per GPU (B)", TickSuffix: "B"),
            BarMode = "stack",
        });

        static BarTrace Bar(string name, ImmutableArray<string> labels, IReadOnlyList<double> values, string color, string group) => new()
        {
            Name = name,
            XLabels = labels,
            Y = [.. values],
            Color = color,
            LegendGroup = group,
            HoverText = [.. values.Select(v => $"{name}<br>{v.ToString("N0", CultureInfo.InvariantCulture)} B ({Units.Bytes(v)})")],
        };
    }

    private static string SeriesName(SweepRow row, string x)
    {
        var e = row.Config.Engine;
        var name = $"{row.Config.Model} {row.Config.Gpu} TP{e.TensorParallel}{(e.PipelineParallel > 1 ? $" PP{e.PipelineParallel}" : string.Empty)}{(e.EnableExpertParallel ? " EP" : string.Empty)}";
        return x == "decode_batch" ? $"{name} ctx {row.Batch.DecodeContext}" : x == "decode_context" ? $"{name} batch {row.Batch.DecodeBatch}" : name;
    }

    private static long Axis(SweepRow row, string axis) => axis switch
    {
        "decode_batch" => row.Batch.DecodeBatch,
        "decode_context" => row.Batch.DecodeContext,
        "prefill_tokens" => row.Batch.PrefillTokens,
        "tp" => row.Config.Engine.TensorParallel,
        _ => throw new ArgumentException($"unknown sweep axis '{axis}'; use decode_batch, decode_context, prefill_tokens or tp", nameof(axis)),
    };

    private static string Exact(Int128 value) => value.ToString("N0", CultureInfo.InvariantCulture);
}

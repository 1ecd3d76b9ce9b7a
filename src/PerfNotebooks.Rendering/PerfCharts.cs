using System.Collections.Immutable;
using System.Globalization;
using PerfNotebooks.Analysis;
using PerfNotebooks.Rendering.Figures;
namespace PerfNotebooks.Rendering;

/// <summary>Every chart PerfNotebooks draws, as plotly.js figures.</summary>
public static partial class PerfCharts
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
    /// Log-log roofline: the memory roof up to the ridge point, one compute roof per distinct peak the GPU has (dtypes
    /// with equal peaks share a roof and a legend entry, such as bf16/fp16), the ridge of the chosen dtype, and one
    /// marker per kernel (operation), per component and for the step at its achieved FLOP/s (FLOPs ÷ roofline time).
    /// </summary>
    /// <remarks>
    /// Every label is a legend entry or hover text, never text drawn on the plot: kernels often sit at one point (a
    /// compute-bound prefill puts them all on the roof), where drawn labels overlap each other and the roof lines.
    /// When <paramref name="expectedSeconds"/> gives a kernel's expected time, the kernel gets a second, open marker at
    /// FLOPs ÷ expected time beside its filled roofline-bound marker, joined by a thin line.
    /// </remarks>
    /// <param name="report">The roofline.</param>
    /// <param name="expectedSeconds">Expected seconds of an operation, component or the step; null (or a null result) for none.</param>
    public static Figure Roofline(RooflineReport report, Func<RooflineRow, double?>? expectedSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var bandwidth = report.BytesPerSecond;
        // Implementation note: kinds are kept beside the rows, not looked up: an operation and a component with the
        // same name and counts (unembed) are equal records.
        // Components are drawn first and larger, so a kernel that coincides with its component (ffn.dense and ffn)
        // shows as a circle inside a diamond; the legend still lists kernels first.
        var points = report.Components.Select(r => (Row: r, Kind: "component"))
            .Concat(report.Operations.Select(r => (Row: r, Kind: "operation")))
            .Append((Row: report.Step, Kind: "step"))
            .Where(p => p.Row.Flops > 0 && p.Row.Bytes > 0 && p.Row.Seconds > 0).ToList();
        var intensities = points.Select(p => p.Row.ArithmeticIntensity).Append(report.Ridge).ToList();
        var xMin = Math.Pow(10, Math.Floor(Math.Log10(Math.Max(1e-3, intensities.Min() / 3))));
        var xMax = Math.Pow(10, Math.Ceiling(Math.Log10(intensities.Max() * 3)));
        var traces = ImmutableArray.CreateBuilder<Trace>();

        var roofs = report.Gpu.PeakFlopsPerSecond
            .Select(p => (Dtype: p.Key, Peak: report.AppliedEfficiency ? p.Value * report.Gpu.FlopsEfficiency : p.Value))
            .GroupBy(p => p.Peak)
            .OrderBy(g => g.Key)
            .ToList();
        var maxPeak = roofs.Count == 0 ? report.PeakFlopsPerSecond : roofs[^1].Key;
        traces.Add(Line($"memory roof {Units.Bandwidth(bandwidth)}", [xMin, maxPeak / bandwidth], [xMin * bandwidth, maxPeak], Palette.Of("kv"), null, "roofs"));
        var dashes = new[] { "dot", "dash", "dashdot", "longdash", "longdashdot" };
        var other = 0;
        foreach (var roof in roofs)
        {
            var peak = roof.Key;
            var dtypes = string.Join("/", roof.Select(r => r.Dtype).Order().Select(d => d.ToString().ToLowerInvariant()));
            var chosen = roof.Any(r => r.Dtype == report.Dtype);
            traces.Add(Line($"{dtypes} roof {Units.FlopRate(peak)}", [peak / bandwidth, xMax], [peak, peak],
                chosen ? Palette.Of("step") : Palette.Shade("step", 2, 4), chosen ? null : dashes[other++ % dashes.Length], "roofs"));
        }

        traces.Add(new ScatterTrace
        {
            Name = $"ridge {Units.Significant(report.Ridge)} FLOP/B",
            Mode = "markers",
            X = [report.Ridge],
            Y = [report.PeakFlopsPerSecond],
            Symbol = "line-ns-open",
            MarkerSize = 16,
            Color = Palette.Of("step"),
            LegendGroup = "roofs",
            HoverText = [$"ridge {Units.Significant(report.Ridge)} FLOP/B: {report.Dtype.ToString().ToLowerInvariant()} peak {Units.FlopRate(report.PeakFlopsPerSecond)} ÷ {Units.Bandwidth(bandwidth)}"],
        });

        var operations = 0;
        var components = 0;
        foreach (var (row, kind) in points)
        {
            var rank = kind switch { "operation" => 100 + operations, "component" => 200 + components++, _ => 300 };
            var color = kind switch
            {
                "operation" => Palette.Categorical(operations++),
                "component" => Palette.Of(row.Name),
                _ => Palette.Of("step"),
            };
            var name = kind == "component" ? row.Name + " (component)" : row.Name;
            var symbol = kind switch { "operation" => "circle", "component" => "diamond", _ => "star" };
            var size = kind switch { "operation" => 9, "component" => 14, _ => 14 };
            var hover = $"{row.Name}<br>{Exact(row.Flops)} FLOP, {Exact(row.Bytes)} B<br>{Units.Significant(row.ArithmeticIntensity)} FLOP/B, " +
                        $"{row.Bound.ToString().ToLowerInvariant()}-bound<br>roofline bound {Units.Seconds(row.Seconds)}";
            var bound = (double)row.Flops / row.Seconds;
            if (expectedSeconds?.Invoke(row) is { } expected && expected > 0 && double.IsFinite(expected))
            {
                traces.Add(new ScatterTrace
                {
                    Name = name,
                    Mode = "lines+markers",
                    X = [row.ArithmeticIntensity, row.ArithmeticIntensity],
                    Y = [bound, (double)row.Flops / expected],
                    Symbols = [symbol, symbol + "-open"],
                    MarkerSize = size,
                    Color = color,
                    LegendGroup = kind,
                    LegendRank = rank,
                    HoverText = [hover, $"{row.Name}<br>expected {Units.Seconds(expected)} (roofline bound {Units.Seconds(row.Seconds)})"],
                });
            }
            else
            {
                traces.Add(new ScatterTrace
                {
                    Name = name,
                    Mode = "markers",
                    X = [row.ArithmeticIntensity],
                    Y = [bound],
                    Symbol = symbol,
                    MarkerSize = size,
                    Color = color,
                    LegendGroup = kind,
                    LegendRank = rank,
                    HoverText = [hover],
                });
            }
        }

        var both = expectedSeconds is not null && traces.OfType<ScatterTrace>().Any(t => !t.Symbols.IsDefault);
        return new Figure(traces.ToImmutable(), new Layout
        {
            Title = $"Roofline on {report.Gpu.Name} ({report.Dtype.ToString().ToLowerInvariant()}, {Units.Bandwidth(bandwidth)})" +
                    (both ? ": filled = roofline bound, open = expected" : string.Empty),
            XAxis = new Axis("arithmetic intensity (FLOP/B)", Log: true),
            YAxis = new Axis("achieved (FLOP/s)", Log: true),
            Height = 480,
        });

        static ScatterTrace Line(string name, ImmutableArray<double> x, ImmutableArray<double> y, string color, string? dash, string group) => new()
        {
            Name = name,
            Mode = "lines",
            X = x,
            Y = y,
            Color = color,
            Dash = dash,
            LegendGroup = group,
            HoverText = [name, name],
        };
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
                // Distinct hues per series (contexts, layouts); past the palette's ten, the dash tells them apart.
                Color = Palette.Categorical(seriesIndex),
                Dash = seriesIndex < Palette.CategoricalCount ? null : "dash",
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

    /// <summary>A serving benchmark's engine over time (one replica, expected clock): running and waiting requests,
    /// and KV-cache use in percent, at up to 400 points.</summary>
    public static Figure ServeTimeline(Serving.ServeBenchmarkResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var samples = Serving.EngineTimeline.Sample(result.Timeline, 400);
        ImmutableArray<double> time = [.. samples.Select(s => s.TimeSeconds)];
        ScatterTrace Line(string name, Func<Serving.EngineSample, double> y, int color) => new()
        {
            Name = name,
            Mode = "lines",
            X = time,
            Y = [.. samples.Select(y)],
            Color = Palette.Categorical(color),
            HoverTemplate = name + " %{y:.4s} at %{x:.3s} s<extra></extra>",
        };

        return new Figure(
            [Line("running", s => s.Running, 0), Line("waiting", s => s.Waiting, 1), Line("KV cache use (%)", s => s.KvCacheUsage * 100, 2), Line("preemptions (total)", s => s.Preemptions, 3)],
            new Layout
            {
                Title = "engine over time, per replica",
                XAxis = new Axis("time (s)"),
                YAxis = new Axis("requests, %"),
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

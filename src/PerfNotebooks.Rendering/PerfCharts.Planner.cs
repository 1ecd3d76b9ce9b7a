using System.Collections.Immutable;
using System.Globalization;
using PerfNotebooks.Rendering.Figures;
using PerfNotebooks.Serving;
namespace PerfNotebooks.Rendering;

public static partial class PerfCharts
{
    /// <summary>
    /// The planner's operating points: output tokens/s per GPU against tokens/s per user, every simulated point
    /// (those that meet the targets coloured), the Pareto front as a line and the chosen deployment's replica starred.
    /// </summary>
    public static Figure PlannerPareto(PlannerResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        ScatterTrace Points(string name, IEnumerable<PlannerParetoPoint> points, string color, string mode = "markers", double size = 6, string? symbol = null)
        {
            var list = points.Where(p => p.TokensPerSecondPerUser > 0 && p.OutputTokensPerSecondPerGpu > 0).ToList();
            return new ScatterTrace
            {
                Name = name,
                Mode = mode,
                X = [.. list.Select(p => p.TokensPerSecondPerUser)],
                Y = [.. list.Select(p => p.OutputTokensPerSecondPerGpu)],
                HoverText = [.. list.Select(p => p.ToString())],
                HoverTemplate = "%{hovertext}<extra></extra>",
                MarkerSize = size,
                Symbol = symbol,
                Color = color,
            };
        }

        var traces = ImmutableArray.CreateBuilder<Trace>();
        traces.Add(Points("misses the targets", result.Points.Where(p => !p.MeetsTargets), "#bbbbbb"));
        traces.Add(Points("meets the targets", result.Points.Where(p => p.MeetsTargets), Palette.Categorical(0)));
        traces.Add(Points("Pareto front", result.Pareto, Palette.Categorical(1), "lines+markers", 7));
        if (result.Best is { Mode: DeploymentMode.Aggregated } best)
        {
            var label = best.Pool.Gpu.Name + " " + best.Pool.Layout;
            traces.Add(Points("chosen: " + best.Summary, [new PlannerParetoPoint(label, best.Pool.RequestRatePerReplica, best.Pool.OutputTokensPerSecondPerGpu, best.Pool.Predicted.TokensPerSecondPerUser, true)],
                Palette.Categorical(3), size: 14, symbol: "star"));
        }

        return new Figure(traces.ToImmutable(), new Layout
        {
            Title = "Output tok/s per GPU against tok/s per user (every simulated replica rate)",
            XAxis = new Axis("tok/s per user (1000 ÷ mean TPOT in ms)", Log: true),
            YAxis = new Axis(Tables.OutputTokensPerGpu, Log: true),
        });
    }

    /// <summary>
    /// The chosen deployment's latency distribution: the share of requests within each time to first token and time
    /// per output token (empirical CDFs over one replica's simulated requests), with the targets as vertical lines.
    /// </summary>
    public static Figure PlannerLatencies(PlannerResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var t = result.Request.Targets;
        var traces = ImmutableArray.CreateBuilder<Trace>();
        var shapes = ImmutableArray.CreateBuilder<Shape>();
        var index = 0;
        foreach (var (name, values, target) in new (string, IEnumerable<double>, double?)[]
                 {
                     ("TTFT", result.BestRequests.Select(r => r.TtftSeconds * 1e3), t.TtftMs),
                     ("TPOT", result.BestRequests.Where(r => r.OutputTokens > 1).Select(r => r.TpotSeconds * 1e3), t.TpotMs),
                     ("E2EL", result.BestRequests.Select(r => r.E2elSeconds * 1e3), t.E2elMs),
                 })
        {
            var sorted = values.Order().ToArray();
            var color = Palette.Categorical(index++);
            if (sorted.Length == 0)
            {
                continue;
            }

            traces.Add(new ScatterTrace
            {
                Name = name,
                Mode = "lines",
                X = [.. sorted],
                Y = [.. sorted.Select((_, i) => (i + 1) / (double)sorted.Length)],
                Color = color,
                HoverTemplate = name + " %{x:.4s} ms<br>%{y:.1%} of requests<extra></extra>",
            });
            if (target is { } ms)
            {
                shapes.Add(new Shape(ms, 0, ms, 1, color, "dash"));
            }
        }

        return new Figure(traces.ToImmutable(), new Layout
        {
            Title = string.Create(CultureInfo.InvariantCulture, $"Latency of the chosen deployment's requests (one replica, {result.BestRequests.Length} simulated); dashed: the {t.PercentileName} targets"),
            XAxis = new Axis("latency (ms)", Log: true),
            YAxis = new Axis("share of requests within"),
            Shapes = shapes.ToImmutable(),
        });
    }
}

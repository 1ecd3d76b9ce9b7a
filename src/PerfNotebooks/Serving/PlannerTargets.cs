using System.Globalization;

namespace PerfNotebooks.Serving;

/// <summary>
/// Latency targets a deployment must meet, each at one percentile of the simulated requests (p90 by default), as
/// <c>vllm bench serve</c> reports them: time to first token, time per output token and end-to-end latency, in
/// milliseconds. A target left null is not checked.
/// </summary>
public sealed record PlannerTargets
{
    /// <summary>The percentile every target is read at (vllm bench serve <c>--metric-percentiles</c>), in (0, 100].</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside (0, 100].</exception>
    public double Percentile
    {
        get;
        init => field = value is > 0 and <= 100 ? value : throw new ArgumentOutOfRangeException(nameof(Percentile), value, "must be in (0, 100]");
    } = 90;

    /// <summary>Time to first token at <see cref="Percentile"/>, milliseconds; null: no target.</summary>
    public double? TtftMs { get; init => field = Positive(value, nameof(TtftMs)); }

    /// <summary>Time per output token at <see cref="Percentile"/>, milliseconds; null: no target.</summary>
    public double? TpotMs { get; init => field = Positive(value, nameof(TpotMs)); }

    /// <summary>End-to-end request latency at <see cref="Percentile"/>, milliseconds; null: no target.</summary>
    public double? E2elMs { get; init => field = Positive(value, nameof(E2elMs)); }

    /// <summary>Whether any target is set.</summary>
    public bool Any => TtftMs is not null || TpotMs is not null || E2elMs is not null;

    /// <summary>The percentile as vllm bench serve spells it in field names: <c>p90</c>, <c>p99.9</c>.</summary>
    public string PercentileName => "p" + Percentile.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Whether <paramref name="predicted"/> meets every target.</summary>
    public bool AreMetBy(DeploymentPrediction predicted)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        return WorstRatio(predicted) <= 1;
    }

    /// <summary>
    /// The largest predicted ÷ target over the set targets (at most 1 when every target is met; 0 when none is set).
    /// </summary>
    public double WorstRatio(DeploymentPrediction predicted)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        var worst = 0.0;
        foreach (var (_, value, target) in Each(predicted))
        {
            worst = Math.Max(worst, double.IsNaN(value) ? double.PositiveInfinity : value / target);
        }

        return worst;
    }

    /// <summary>Each set target with its name (<c>TTFT</c>, <c>TPOT</c>, <c>E2EL</c>), predicted and target milliseconds.</summary>
    public IEnumerable<(string Name, double PredictedMs, double TargetMs)> Each(DeploymentPrediction predicted)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        if (TtftMs is { } ttft)
        {
            yield return ("TTFT", predicted.TtftMs, ttft);
        }

        if (TpotMs is { } tpot)
        {
            yield return ("TPOT", predicted.TpotMs, tpot);
        }

        if (E2elMs is { } e2el)
        {
            yield return ("E2EL", predicted.E2elMs, e2el);
        }
    }

    /// <summary>The targets in words: <c>p90 TTFT ≤ 1 s, p90 TPOT ≤ 50 ms</c>.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        void Add(string name, double? ms)
        {
            if (ms is { } v)
            {
                parts.Add($"{PercentileName} {name} ≤ {Units.Seconds(v / 1e3)}");
            }
        }

        Add("TTFT", TtftMs);
        Add("TPOT", TpotMs);
        Add("E2EL", E2elMs);
        return parts.Count == 0 ? "no latency targets" : string.Join(", ", parts);
    }

    private static double? Positive(double? value, string name) =>
        value is null or (> 0 and < double.PositiveInfinity) ? value : throw new ArgumentOutOfRangeException(name, value, "must be a positive number of milliseconds");
}

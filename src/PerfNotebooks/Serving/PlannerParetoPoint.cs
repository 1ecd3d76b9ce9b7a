using System.Globalization;

namespace PerfNotebooks.Serving;

/// <summary>
/// One simulated operating point of a candidate replica: its layout at a request rate, with output tokens per second
/// per GPU (what the GPUs earn) against tokens per second per user (what a user sees: 1000 ÷ mean TPOT).
/// </summary>
/// <param name="Label">GPU and layout, and for disaggregated serving which pool.</param>
/// <param name="RequestRatePerReplica">Requests per second one replica was simulated at.</param>
/// <param name="OutputTokensPerSecondPerGpu">Generated tokens per second ÷ GPUs of the replica.</param>
/// <param name="TokensPerSecondPerUser">1000 ÷ mean TPOT in ms.</param>
/// <param name="MeetsTargets">Whether this point met every target.</param>
public sealed record PlannerParetoPoint(string Label, double RequestRatePerReplica, double OutputTokensPerSecondPerGpu, double TokensPerSecondPerUser, bool MeetsTargets)
{
    /// <summary><c>H100-SXM TP4 PP1 DP1 at 2.5 req/s: 612 tok/s per GPU, 38.1 tok/s per user</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Label} at {Units.Significant(RequestRatePerReplica)} req/s: {Units.Significant(OutputTokensPerSecondPerGpu)} tok/s per GPU, {Units.Significant(TokensPerSecondPerUser)} tok/s per user");

    /// <summary>The points no other point beats on both axes, ordered by tokens per second per user.</summary>
    public static IReadOnlyList<PlannerParetoPoint> Front(IEnumerable<PlannerParetoPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var front = new List<PlannerParetoPoint>();
        var bestPerGpu = double.NegativeInfinity;
        foreach (var p in points.Where(p => double.IsFinite(p.OutputTokensPerSecondPerGpu) && double.IsFinite(p.TokensPerSecondPerUser))
                     .OrderByDescending(p => p.TokensPerSecondPerUser).ThenByDescending(p => p.OutputTokensPerSecondPerGpu).ThenBy(p => p.Label, StringComparer.Ordinal))
        {
            if (p.OutputTokensPerSecondPerGpu > bestPerGpu)
            {
                front.Add(p);
                bestPerGpu = p.OutputTokensPerSecondPerGpu;
            }
        }

        return front;
    }
}

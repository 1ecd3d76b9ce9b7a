using System.Globalization;
using PerfNotebooks.Serving;
namespace PerfNotebooks.Rendering;

/// <summary>The capacity planner's tables: deployments (the answer and its runners-up) and the Pareto front.</summary>
public static class PlannerTables
{
    /// <summary>The best deployment and the runners-up: GPUs, cost, predicted percentiles and throughput per GPU.</summary>
    public static TableModel Deployments(PlannerResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var p = result.Request.Targets.PercentileName;
        var table = new TableBuilder("deployments", new(string.Empty), new("deployment"), new("GPUs", true), new("$/h", true), new("$/M out tok", true),
            new(p + " TTFT", true), new(p + " TPOT", true), new(p + " E2EL", true), new(Tables.OutputTokensPerGpu, true));
        var rank = 0;
        foreach (var d in result.Best is { } best ? [best, .. result.RunnersUp] : result.RunnersUp)
        {
            table.Row(rank++ == 0 ? "best" : rank.ToString(CultureInfo.InvariantCulture), d.Summary, TableCell.Count(d.Gpus),
                d.CostPerHour is { } c ? c.ToString("0.00", CultureInfo.InvariantCulture) : "-",
                d.CostPerMillionOutputTokens is { } m ? m.ToString("0.000", CultureInfo.InvariantCulture) : "-",
                TableCell.Seconds(d.Predicted.TtftMs / 1e3), TableCell.Seconds(d.Predicted.TpotMs / 1e3), TableCell.Seconds(d.Predicted.E2elMs / 1e3),
                TableCell.TokensPerSecond(d.OutputTokensPerSecondPerGpu));
        }

        table.Note($"targets: {result.Request.Targets}; {Units.Significant(result.Request.RequestRate)} req/s of {result.Request.InputTokens} in, {result.Request.OutputTokens} out");
        return table.Build();
    }

    /// <summary>The Pareto front: output tokens/s per GPU against tokens/s per user, one row per operating point.</summary>
    public static TableModel Pareto(PlannerResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var table = new TableBuilder("pareto", new("replica"), new("req/s per replica", true), new(Tables.OutputTokensPerGpu, true), new("tok/s per user", true), new("meets targets"));
        foreach (var point in result.Pareto)
        {
            table.Row(point.Label, Units.Significant(point.RequestRatePerReplica), TableCell.TokensPerSecond(point.OutputTokensPerSecondPerGpu),
                TableCell.TokensPerSecond(point.TokensPerSecondPerUser), point.MeetsTargets ? "yes" : "no");
        }

        table.Note(string.Create(CultureInfo.InvariantCulture,
            $"{result.Candidates:N0} candidates judged: {result.Rejected:N0} refused by layout, GPU limit or memory, {result.Bounded:N0} costlier than the list already (not simulated), {result.Simulations:N0} simulations, {Units.Seconds(result.Elapsed.TotalSeconds)}"));
        foreach (var note in result.Notes)
        {
            table.Note("note: " + note);
        }

        return table.Build();
    }
}

using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace PerfNotebooks.Serving;

/// <summary>
/// The planner's answer: the cheapest deployment that meets the targets (or, when none does, the closest miss), the
/// runners-up, the Pareto front of every simulated operating point, and how much was judged.
/// </summary>
public sealed record PlannerResult
{
    /// <summary>What was planned.</summary>
    public required PlannerRequest Request { get; init; }

    /// <summary>The model's config source (path or catalog name).</summary>
    public required string Model { get; init; }

    /// <summary>The cheapest deployment that meets every target; null when none does.</summary>
    public Deployment? Best { get; init; }

    /// <summary>The next cheapest deployments that meet every target, cheapest first.</summary>
    public ImmutableArray<Deployment> RunnersUp { get; init; } = [];

    /// <summary>Operating points no other beats on both output tokens/s per GPU and tokens/s per user.</summary>
    public ImmutableArray<PlannerParetoPoint> Pareto { get; init; } = [];

    /// <summary>Every simulated operating point of the search (the front's cloud).</summary>
    public ImmutableArray<PlannerParetoPoint> Points { get; init; } = [];

    /// <summary>Every request of the chosen deployment's confirming simulation (one replica's share; aggregated only), for its latency distribution.</summary>
    public ImmutableArray<RequestTiming> BestRequests { get; init; } = [];

    /// <summary>Candidate replicas (GPU × layout × dtypes, per role) the search gave a verdict on.</summary>
    public int Candidates { get; init; }

    /// <summary>Candidates left out before simulation: a layout vLLM refuses, over the GPU limit, or not fitting in memory.</summary>
    public int Rejected { get; init; }

    /// <summary>
    /// Candidates not simulated because even one replica costs more than the deployments already found that make the
    /// list (its latency only grows with load, so more replicas would cost more still).
    /// </summary>
    public int Bounded { get; init; }

    /// <summary>Serving simulations run.</summary>
    public int Simulations { get; init; }

    /// <summary>Wall time of the search.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>When no deployment meets the targets: which target came closest and what it would take.</summary>
    public PlannerMiss? Closest { get; init; }

    /// <summary>What was left out or assumed.</summary>
    public ImmutableArray<string> Notes { get; init; } = [];

    /// <summary>
    /// One readable paragraph: the deployment (GPU, layout, replicas, GPUs in total, cost per hour and per million
    /// output tokens), its predicted percentiles against the targets, and why the runners-up lost; or, when nothing
    /// meets the targets, the closest miss.
    /// </summary>
    public string Paragraph
    {
        get
        {
            var r = Request;
            var t = r.Targets;
            var text = new StringBuilder();
            var traffic = string.Create(CultureInfo.InvariantCulture,
                $"{Units.Significant(r.RequestRate)} req/s of {r.InputTokens} in, {r.OutputTokens} out");
            if (Best is not { } b)
            {
                text.Append(CultureInfo.InvariantCulture, $"No deployment of {Model} serves {traffic} within {t}");
                if (Closest is { } c)
                {
                    text.Append(CultureInfo.InvariantCulture,
                        $". Closest: {c.Candidate}, whose {t.PercentileName} {c.Target} is {Units.Seconds(c.PredictedMs / 1e3)} against {Units.Seconds(c.TargetMs / 1e3)}; {c.Advice}");
                }

                return text.Append('.').ToString();
            }

            text.Append(CultureInfo.InvariantCulture, $"Serve {Model} at {traffic} with {Describe(b)}");
            text.Append(Cost(b));
            text.Append(CultureInfo.InvariantCulture, $". Predicted: {Against(b, t)}");
            if (b.Mode == DeploymentMode.Disaggregated)
            {
                text.Append(CultureInfo.InvariantCulture, $", KV transfer {Units.Seconds(b.KvTransferMs / 1e3)} per request");
            }

            text.Append('.');
            if (r.Disaggregated)
            {
                var other = new[] { b }.Concat(RunnersUp).FirstOrDefault(d => d.Mode != b.Mode);
                text.Append(other is null
                    ? $" No {(b.Mode == DeploymentMode.Aggregated ? "disaggregated" : "aggregated")} deployment came within the runners-up."
                    : string.Create(CultureInfo.InvariantCulture, $" The best {(other.Mode == DeploymentMode.Aggregated ? "aggregated" : "disaggregated")} deployment, {Describe(other)}{Cost(other)}, predicts {Against(other, t)}."));
            }

            if (!RunnersUp.IsEmpty)
            {
                text.Append(" Runners-up lost on ").Append(r.GpuCostPerHour.IsEmpty ? "GPUs" : "cost").Append(": ");
                text.AppendJoin("; ", RunnersUp.Take(3).Select(d => Describe(d) + Cost(d)));
                text.Append('.');
            }

            return text.ToString();
        }
    }

    /// <summary>The paragraph, the runners-up and the Pareto front as plain text.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(Paragraph).Append('\n');
        if (!RunnersUp.IsEmpty)
        {
            text.Append("\nrunners-up:\n");
            foreach (var d in RunnersUp)
            {
                text.Append("  ").Append(d).Append('\n');
            }
        }

        text.Append("\nPareto front (output tok/s per GPU against tok/s per user):\n");
        foreach (var p in Pareto)
        {
            text.Append("  ").Append(p).Append('\n');
        }

        text.Append(CultureInfo.InvariantCulture, $"\n{Candidates} candidates: {Rejected} refused by layout, GPU limit or memory, {Bounded} costlier than the list already, {Simulations} simulations, {Units.Seconds(Elapsed.TotalSeconds)}\n");
        foreach (var note in Notes)
        {
            text.Append("note: ").Append(note).Append('\n');
        }

        return text.ToString();
    }

    private static string Describe(Deployment d) => d.Mode == DeploymentMode.Aggregated
        ? string.Create(CultureInfo.InvariantCulture, $"{d.Pool.Replicas} replica{(d.Pool.Replicas == 1 ? string.Empty : "s")} of {d.Pool.Gpu.Name} {d.Pool.Layout}, {d.Gpus} GPUs in total")
        : string.Create(CultureInfo.InvariantCulture,
            $"disaggregated prefill {d.Pool.Replicas} × {d.Pool.Gpu.Name} {d.Pool.Layout} and decode {d.DecodePool!.Replicas} × {d.DecodePool.Gpu.Name} {d.DecodePool.Layout}, {d.Gpus} GPUs in total");

    private static string Cost(Deployment d) => d.CostPerHour is { } c
        ? string.Create(CultureInfo.InvariantCulture, $", ${c:0.00} per hour, ${d.CostPerMillionOutputTokens:0.000} per million output tokens")
        : string.Empty;

    private static string Against(Deployment d, PlannerTargets t)
    {
        var parts = new List<string>();
        foreach (var (name, predicted, target) in t.Each(d.Predicted))
        {
            parts.Add($"{t.PercentileName} {name} {Units.Seconds(predicted / 1e3)} (target {Units.Seconds(target / 1e3)})");
        }

        if (parts.Count == 0)
        {
            parts.Add(d.Predicted.ToString());
        }
        else
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{Units.Si(d.Predicted.OutputThroughput, "tok/s")} output, {Units.Significant(d.OutputTokensPerSecondPerGpu)} tok/s per GPU"));
        }

        return string.Join(", ", parts);
    }
}

using System.Text.Json;
using PerfNotebooks.Serving;
namespace PerfNotebooks.Cli;

/// <summary><c>perfnb plan --json</c>: the plan as serialisable records, snake_case, predicted figures in vllm bench serve's field names.</summary>
internal static class PlanJson
{
    public static string Serialize(string model, PlannerResult result) => JsonSerializer.Serialize(Of(model, result), CliJson.PlanContext.Plan);

    public static Plan Of(string model, PlannerResult result)
    {
        var r = result.Request;
        var t = r.Targets;
        return new Plan(
            model,
            r.RequestRate,
            r.InputTokens,
            r.OutputTokens,
            new Targets(t.Percentile, t.TtftMs, t.TpotMs, t.E2elMs),
            result.Best is { } b ? Of(b) : null,
            [.. result.RunnersUp.Select(Of)],
            [.. result.Pareto.Select(p => new Point(p.Label, Finite(p.RequestRatePerReplica), Finite(p.OutputTokensPerSecondPerGpu), Finite(p.TokensPerSecondPerUser), p.MeetsTargets))],
            result.Closest is { } c ? new Closest(c.Target, c.Candidate, Finite(c.PredictedMs), Finite(c.TargetMs), c.Advice) : null,
            result.Candidates,
            result.Rejected,
            result.Bounded,
            result.Simulations,
            result.Elapsed.TotalSeconds,
            [.. result.Notes]);
    }

    private static Best Of(Deployment d)
    {
        var top = d.DecodePool ?? d.Pool;
        return new Best(
            top.Gpu.Name,
            top.Engine.TensorParallel,
            top.Engine.PipelineParallel,
            top.Engine.DataParallel,
            top.Engine.EnableExpertParallel,
            d.Replicas,
            d.Gpus,
            top.Engine.Dtype,
            top.Engine.KvCacheDtype,
            top.Engine.Quantization,
            d.Mode == DeploymentMode.Aggregated ? "aggregated" : "disaggregated",
            d.PrefillPool is { } p ? Of(p) : null,
            d.DecodePool is { } q ? Of(q) : null,
            d.Mode == DeploymentMode.Disaggregated ? d.KvTransferMs : null,
            d.CostPerHour,
            d.CostPerMillionOutputTokens,
            Fields(d.Predicted));
    }

    private static Pool Of(DeploymentPool p) => new(
        p.Gpu.Name, p.Engine.TensorParallel, p.Engine.PipelineParallel, p.Engine.DataParallel, p.Engine.EnableExpertParallel,
        p.Replicas, p.Gpus, p.Engine.Dtype, p.Engine.KvCacheDtype, p.Engine.Quantization, p.RequestRatePerReplica, Fields(p.Predicted));

    private static Dictionary<string, double?> Fields(DeploymentPrediction p) => p.Fields().ToDictionary(f => f.Name, f => Finite(f.Value));

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    internal sealed record Plan(
        string Model, double RequestRate, long InputLen, long OutputLen, Targets Targets, Best? Best, IReadOnlyList<Best> RunnersUp,
        IReadOnlyList<Point> Pareto, Closest? Closest, int Candidates, int Rejected, int Bounded, int Simulations, double ElapsedS, IReadOnlyList<string> Notes);

    internal sealed record Targets(double Percentile, double? TtftMs, double? TpotMs, double? E2elMs);

    internal sealed record Best(
        string Gpu, int Tp, int Pp, int Dp, bool Ep, int Replicas, long Gpus, string Dtype, string KvCacheDtype, string? Quantization, string Mode,
        Pool? Prefill, Pool? Decode, double? KvTransferMs, double? CostPerHour, double? CostPerMillionOutputTokens, Dictionary<string, double?> Predicted);

    internal sealed record Pool(
        string Gpu, int Tp, int Pp, int Dp, bool Ep, int Replicas, long Gpus, string Dtype, string KvCacheDtype, string? Quantization,
        double RequestRatePerReplica, Dictionary<string, double?> Predicted);

    internal sealed record Point(string Label, double? RequestRatePerReplica, double? OutputTokensPerSecondPerGpu, double? TokensPerSecondPerUser, bool MeetsTargets);

    internal sealed record Closest(string Target, string Candidate, double? PredictedMs, double? TargetMs, string Advice);
}

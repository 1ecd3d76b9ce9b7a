using System.Globalization;
using PerfNotebooks.Hardware;
namespace PerfNotebooks.Serving;

/// <summary>
/// A deployment that serves the whole request rate: one pool of aggregated replicas, or a prefill pool and a decode
/// pool; its GPUs, cost and the latencies the serving simulation predicts for a request.
/// </summary>
public sealed record Deployment
{
    /// <summary>Aggregated or disaggregated.</summary>
    public required DeploymentMode Mode { get; init; }

    /// <summary>The only pool (aggregated) or the prefill pool (disaggregated).</summary>
    public required DeploymentPool Pool { get; init; }

    /// <summary>The decode pool (disaggregated only).</summary>
    public DeploymentPool? DecodePool { get; init; }

    /// <summary>Requests per second the deployment serves in total.</summary>
    public required double RequestRate { get; init; }

    /// <summary>Generated tokens per request.</summary>
    public required long OutputTokens { get; init; }

    /// <summary>What a request sees: latencies at the percentile, and the whole deployment's throughput.</summary>
    public required DeploymentPrediction Predicted { get; init; }

    /// <summary>Time to move one request's KV cache from the prefill to the decode pool, ms (0 when aggregated).</summary>
    public double KvTransferMs { get; init; }

    /// <summary>USD per hour for all GPUs, when every GPU kind used has a price; else null.</summary>
    public double? CostPerHour { get; init; }

    /// <summary>The prefill pool (disaggregated only).</summary>
    public DeploymentPool? PrefillPool => Mode == DeploymentMode.Disaggregated ? Pool : null;

    /// <summary>The pools in order: the only one, or prefill then decode.</summary>
    public IEnumerable<DeploymentPool> Pools => DecodePool is null ? [Pool] : [Pool, DecodePool];

    /// <summary>GPUs in total.</summary>
    public long Gpus => Pools.Sum(p => p.Gpus);

    /// <summary>Replicas in total.</summary>
    public int Replicas => Pools.Sum(p => p.Replicas);

    /// <summary>The GPU kind (the decode pool's when disaggregated; see <see cref="Pools"/> for both).</summary>
    public GpuSpec Gpu => (DecodePool ?? Pool).Gpu;

    /// <summary>Layout and dtypes of a replica (the decode pool's when disaggregated).</summary>
    public EngineSettings Engine => (DecodePool ?? Pool).Engine;

    /// <summary>USD per million generated tokens at the served rate, when the cost is known.</summary>
    public double? CostPerMillionOutputTokens => CostPerHour is { } c && RequestRate > 0 && OutputTokens > 0
        ? c / (RequestRate * OutputTokens * 3600 / 1e6)
        : null;

    /// <summary>Generated tokens per second per GPU, at the served rate.</summary>
    public double OutputTokensPerSecondPerGpu => Gpus > 0 ? RequestRate * OutputTokens / Gpus : 0;

    /// <summary><c>3 × H100-SXM TP4 PP1 DP1 (12 GPUs)</c>, or <c>prefill 1 × … + decode 2 × … (12 GPUs)</c>.</summary>
    public string Summary => Mode == DeploymentMode.Aggregated
        ? string.Create(CultureInfo.InvariantCulture, $"{Pool.Replicas} × {Pool.Gpu.Name} {Pool.Layout} ({Gpus} GPUs)")
        : string.Create(CultureInfo.InvariantCulture,
            $"prefill {Pool.Replicas} × {Pool.Gpu.Name} {Pool.Layout} + decode {DecodePool!.Replicas} × {DecodePool.Gpu.Name} {DecodePool.Layout} ({Gpus} GPUs)");

    /// <summary>The summary, the cost when known and the predicted latencies.</summary>
    public override string ToString() =>
        Summary + (CostPerHour is { } c ? string.Create(CultureInfo.InvariantCulture, $", ${c:0.00}/h") : string.Empty) + "; " + Predicted;
}

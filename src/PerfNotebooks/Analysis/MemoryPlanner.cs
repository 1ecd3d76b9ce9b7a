using System.Collections.Immutable;
using PerfNotebooks.Components;
using PerfNotebooks.Configuration;
using PerfNotebooks.Execution;

namespace PerfNotebooks.Analysis;

/// <summary>Memory plans: weight bytes per GPU (dtype and quantization aware), KV bytes per token, capacity.</summary>
public static class MemoryPlanner
{
    /// <summary>vLLM's default <c>gpu_memory_utilization</c>.</summary>
    public const double DefaultUtilization = 0.9;

    /// <summary>
    /// Plans one GPU's memory for the model's layout. Weights per GPU follow the perf model's own per-GPU split (layers
    /// over stages, heads over TP ranks, FFN over DP×TP, experts over EP ranks) with every expert resident; the input
    /// embedding (vocab ÷ TP × hidden at the model dtype), which vLLM's perf model does not count, is its own line.
    /// KV bytes per token = 2 × layers per stage × KV heads per rank × head size × cache bytes.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Utilisation outside (0, 1], or a negative reserve or context.</exception>
    public static MemoryPlan Plan(ModelMetrics metrics, GpuSpec gpu, double utilization = DefaultUtilization, long contextLength = 0, double reserveBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(gpu);
        if (utilization is <= 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(utilization), utilization, "gpu_memory_utilization is a fraction in (0, 1]");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(contextLength);
        ArgumentOutOfRangeException.ThrowIfNegative(reserveBytes);
        return new MemoryPlan(gpu, utilization, WeightBytes(metrics), KvBytesPerToken(metrics), reserveBytes, contextLength);
    }

    /// <summary>Weight bytes per GPU by part.</summary>
    public static ImmutableArray<(string Part, Int128 Bytes)> WeightBytes(ModelMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var parts = ImmutableArray.CreateBuilder<(string, Int128)>();
        foreach (var component in metrics.Components)
        {
            switch (component)
            {
                case AttentionMetrics or SlidingWindowAttentionMetrics:
                    var reads = component.ReadBytes(Batch.Empty, Scope.PerGpu);
                    parts.Add(("attn", checked(reads["qkv_weight"] + reads["out_weight"])));
                    break;
                case MlaAttentionMetrics mla:
                    parts.Add(("attn", mla.ReadBytes(Batch.Empty, Scope.PerGpu).Where(r => r.Name.EndsWith("_weight", StringComparison.Ordinal)).Aggregate(Int128.Zero, (sum, r) => checked(sum + r.Value))));
                    break;
                case FfnMetrics ffn:
                    // Implementation note: the perf model reads min(routed tokens, experts) experts; enough tokens to
                    // route to every expert on every rank gives the resident weights through the same formulas.
                    var everyExpert = Batch.Prefill(Math.Max(1, checked((ffn.Experts * ffn.FfnExpertParallel / Math.Max(1, ffn.ExpertsPerToken)) + ffn.Experts)));
                    var ffnReads = ffn.ReadBytes(everyExpert, Scope.PerGpu);
                    foreach (var kind in (ReadOnlySpan<string>)["dense", "routed", "shared"])
                    {
                        Int128 bytes = 0;
                        var present = false;
                        foreach (var term in ffnReads)
                        {
                            if (term.Name.StartsWith(kind + "_", StringComparison.Ordinal) && term.Name.EndsWith("_weights", StringComparison.Ordinal))
                            {
                                bytes = checked(bytes + term.Value);
                                present = true;
                            }
                        }

                        if (present)
                        {
                            parts.Add(("ffn." + kind, bytes));
                        }
                    }

                    break;
                case UnembedMetrics or LogitsUnembedMetrics:
                    var unembed = component.Fields.ToDictionary(f => f.Name, f => (long)(f.Value ?? 0));
                    parts.Add(("unembed", component.ReadBytes(Batch.Empty, Scope.PerGpu)["weight"]));
                    var tied = metrics.Source.Config.Root.TryGetPropertyValue("tie_word_embeddings", out var tie) &&
                               tie is System.Text.Json.Nodes.JsonValue v && v.TryGetValue(out bool t) && t;
                    if (!tied)
                    {
                        parts.Add(("embed", checked((Int128)(unembed["vocab_size"] / unembed["tp_size"]) * unembed["hidden_size"] * metrics.Source.Dtype.Bytes())));
                    }

                    break;
            }
        }

        return parts.ToImmutable();
    }

    /// <summary>KV-cache bytes per token per GPU (0 when the model has no attention component).</summary>
    public static Int128 KvBytesPerToken(ModelMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var attn = metrics.Components.FirstOrDefault(c => c.Name is "attn" or "mla_attn");
        return attn is null ? 0 : attn.WriteBytes(Batch.Prefill(1), Scope.PerGpu)["kv_cache"];
    }
}

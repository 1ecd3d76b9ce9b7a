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
        Guard.Fraction(utilization, "gpu_memory_utilization");
        Guard.NonNegative(contextLength, "context_length");
        _ = reserveBytes >= 0 ? reserveBytes : throw new InvalidValueException("reserve_bytes", reserveBytes, "must be at least 0");
        try
        {
            return new MemoryPlan(gpu, utilization, WeightBytes(metrics), KvBytesPerToken(metrics), reserveBytes, contextLength);
        }
        catch (OverflowException)
        {
            throw new OverflowException($"{metrics.Source.Config.Source}: weight or KV-cache bytes pass 2^127; a config size is too large");
        }
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
                case AttentionMetrics attn:
                    var reads = attn.ReadBytes(Batch.Empty, Scope.PerGpu);
                    parts.Add(("attn", checked(reads["qkv_weight"] + reads["out_weight"])));
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
                case UnembedMetrics unembed:
                    parts.Add(("unembed", unembed.ReadBytes(Batch.Empty, Scope.PerGpu)["weight"]));
                    var tied = metrics.Source.Config.Root.TryGetPropertyValue("tie_word_embeddings", out var tie) &&
                               tie is System.Text.Json.Nodes.JsonValue v && v.TryGetValue(out bool t) && t;
                    if (!tied)
                    {
                        parts.Add(("embed", checked((Int128)(unembed.VocabSize / unembed.TensorParallel) * unembed.HiddenSize * metrics.Source.Dtype.Bytes())));
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
        var attn = metrics.Components.OfType<AttentionMetrics>().FirstOrDefault();
        return attn is null ? 0 : attn.WriteBytes(Batch.Prefill(1), Scope.PerGpu)["kv_cache"];
    }
}

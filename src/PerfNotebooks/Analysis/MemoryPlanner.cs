using System.Collections.Immutable;
using PerfNotebooks.Hardware;
using PerfNotebooks.Physical;
using PerfNotebooks.Vllm;

namespace PerfNotebooks.Analysis;

/// <summary>Memory plans from the physical book: the weight bytes each GPU really stores (quantization scales
/// included), KV bytes per token and per sequence (sliding windows and MLA latents included), capacity.</summary>
public static class MemoryPlanner
{
    /// <summary>vLLM's default <c>gpu_memory_utilization</c>.</summary>
    public const double DefaultUtilization = 0.9;

    /// <summary>
    /// Plans one GPU's memory for the model's layout from the physical book (<see cref="PhysicalModel"/>): attention
    /// and shared experts split over TP, the dense FFN split over TP only (each DP replica holds the whole TP-sharded
    /// FFN; vLLM's perf-model parser divides by DP×TP, which stays in the vLLM book), routed experts over EP ranks (or
    /// their intermediate dimension over TP×DP without EP), layers over PP stages (the largest stage), and the
    /// embedding and unembedding at the model dtype. KV bytes per token = full-attention layers of the stage × KV
    /// heads per rank × head size × 2 × cache bytes; sliding-window layers add a fixed window per sequence.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Utilisation outside (0, 1], or a negative reserve or context.</exception>
    public static MemoryPlan Plan(ModelMetrics metrics, GpuSpec gpu, double utilization = DefaultUtilization, long contextLength = 0, double reserveBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        try
        {
            return Plan(PhysicalModel.From(metrics.Source), gpu, utilization, contextLength, reserveBytes);
        }
        catch (OverflowException)
        {
            throw new OverflowException($"{metrics.Source.Config.Source}: weight or KV-cache bytes pass the 64-bit range; a config size is too large");
        }
    }

    /// <summary>Plans one GPU's memory for a physical model (see the other overload).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Utilisation outside (0, 1], or a negative reserve or context.</exception>
    public static MemoryPlan Plan(PhysicalModel model, GpuSpec gpu, double utilization = DefaultUtilization, long contextLength = 0, double reserveBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(gpu);
        Guard.Fraction(utilization, "gpu_memory_utilization");
        Guard.NonNegative(contextLength, "context_length");
        _ = reserveBytes >= 0 ? reserveBytes : throw new InvalidValueException("reserve_bytes", reserveBytes, "must be at least 0");
        return new MemoryPlan(gpu, utilization, WeightBytes(model), KvBytesPerToken(model), reserveBytes, contextLength)
        {
            KvBytesPerSequence = contextLength > 0 ? model.KvBytesPerSequence(contextLength) : 0,
            Warnings = model.Warnings,
        };
    }

    /// <summary>Weight bytes per GPU by part (physical book).</summary>
    public static ImmutableArray<(string Part, Int128 Bytes)> WeightBytes(ModelMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return WeightBytes(PhysicalModel.From(metrics.Source));
    }

    /// <summary>KV-cache bytes per token of context per GPU, full-attention layers (0 when the model has no attention).</summary>
    public static Int128 KvBytesPerToken(ModelMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return KvBytesPerToken(PhysicalModel.From(metrics.Source));
    }

    private static ImmutableArray<(string Part, Int128 Bytes)> WeightBytes(PhysicalModel model) =>
        [.. model.WeightBytesPerGpu().Select(p => (p.Part, (Int128)Math.Ceiling(p.Bytes)))];

    private static Int128 KvBytesPerToken(PhysicalModel model) => (Int128)Math.Ceiling(model.KvBytesPerToken);
}

using System.Collections.Immutable;
using PerfNotebooks.Hardware;

namespace PerfNotebooks.Analysis;

/// <summary>How one GPU's memory divides between weights, KV cache and what is left, at a utilisation fraction.</summary>
/// <param name="Gpu">The GPU.</param>
/// <param name="Utilization">vLLM's <c>gpu_memory_utilization</c>: the fraction of memory the engine may use.</param>
/// <param name="Weights">Weight bytes per GPU by part (attention, dense FFN, routed and shared experts, unembedding, embedding).</param>
/// <param name="KvBytesPerToken">KV-cache bytes one token takes on this GPU (its layers and KV heads).</param>
/// <param name="ReserveBytes">Bytes set aside for activations and runtime overhead.</param>
/// <param name="ContextLength">The context length sequences are counted at, tokens (0 when not asked).</param>
public sealed record MemoryPlan(
    GpuSpec Gpu,
    double Utilization,
    ImmutableArray<(string Part, Int128 Bytes)> Weights,
    Int128 KvBytesPerToken,
    double ReserveBytes,
    long ContextLength)
{
    /// <summary>Weight bytes per GPU.</summary>
    public Int128 WeightBytes => Weights.Aggregate((Int128)0, (sum, w) => checked(sum + w.Bytes));

    /// <summary>Bytes the engine may use: memory × utilisation.</summary>
    public double UsableBytes => Gpu.MemoryBytes * Utilization;

    /// <summary>Bytes left for the KV cache (negative when the weights do not fit).</summary>
    public double KvCacheBytes => UsableBytes - (double)WeightBytes - ReserveBytes;

    /// <summary>Whether weights and reserve fit in the usable memory.</summary>
    public bool Fits => KvCacheBytes > 0;

    /// <summary>How many bytes short the layout is (0 when it fits).</summary>
    public double ShortfallBytes => Fits ? 0 : -KvCacheBytes;

    /// <summary>Tokens the KV cache holds on this GPU (and so in the replica, whose GPUs each hold their share).</summary>
    public long TokensThatFit => !Fits || KvBytesPerToken <= 0 ? 0 : (long)Math.Floor(KvCacheBytes / (double)KvBytesPerToken);

    /// <summary>KV-cache bytes one sequence of <see cref="ContextLength"/> tokens takes on this GPU, sliding windows
    /// included (0: <see cref="KvBytesPerToken"/> × <see cref="ContextLength"/>).</summary>
    public double KvBytesPerSequence { get; init; }

    /// <summary>What the plan leaves out or guesses (an unmodelled quantization, a missing FFN); empty when complete.</summary>
    public ImmutableArray<string> Warnings { get; init; } = [];

    /// <summary>Sequences of <see cref="ContextLength"/> tokens that fit at once (0 when no context length was given).</summary>
    public long SequencesThatFit
    {
        get
        {
            var perSequence = KvBytesPerSequence > 0 ? KvBytesPerSequence : (double)KvBytesPerToken * ContextLength;
            return ContextLength <= 0 || !Fits || perSequence <= 0 ? 0 : (long)Math.Floor(KvCacheBytes / perSequence);
        }
    }

    /// <summary>Free memory outside the engine's share: memory × (1 − utilisation).</summary>
    public double UnusedBytes => Gpu.MemoryBytes - UsableBytes;

    /// <summary>A readable summary: weights, KV cache and what fits, per GPU.</summary>
    public override string ToString()
    {
        var text = FormattableString.Invariant($"memory per GPU on {Gpu.Name} ({Units.Bytes(Gpu.MemoryBytes)}, utilization {Utilization:0.###}): weights {Units.Bytes(WeightBytes)}, ");
        return text + (Fits
            ? FormattableString.Invariant($"KV cache {Units.Bytes(KvCacheBytes)} at {Units.Bytes(KvBytesPerToken)} per token = {TokensThatFit:N0} tokens") +
              (ContextLength > 0 ? FormattableString.Invariant($", {SequencesThatFit:N0} sequences of {ContextLength:N0}") : string.Empty)
            : $"does not fit: {Units.Bytes(ShortfallBytes)} short");
    }
}

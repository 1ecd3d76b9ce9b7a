namespace PerfNotebooks.Physical;

/// <summary>
/// Expected time of the kernels an inference step is made of, on one GPU, from measured kernel tables, fitted
/// efficiency curves or the roofline. Implementations are immutable and thread-safe (sweeps call them in parallel).
/// </summary>
public interface IKernelTimer
{
    /// <summary>The GPU these times are for (catalog name, for example <c>H100-SXM</c>).</summary>
    string Gpu { get; }

    /// <summary>Where this timer's figures come from where it has data of its own: <see cref="KernelTimeSource.Measured"/>
    /// tables, <see cref="KernelTimeSource.Fitted"/> curves or the <see cref="KernelTimeSource.Roofline"/> bound
    /// (each <see cref="KernelTime"/> says which one a single call used).</summary>
    KernelTimeSource Kind { get; }

    /// <summary>One GEMM of <paramref name="m"/> tokens × <paramref name="k"/> inputs × <paramref name="n"/> outputs.</summary>
    KernelTime Gemm(long m, long n, long k, KernelDtype dtype);

    /// <summary>Prefill attention of <paramref name="batch"/> requests of <paramref name="tokens"/> new tokens each,
    /// attending causally to <paramref name="contextLength"/> tokens (the new ones included), KV-cache write included.</summary>
    KernelTime PrefillAttention(long batch, long tokens, long contextLength, AttentionShape shape);

    /// <summary>Decode attention of <paramref name="batch"/> requests, one new token each, attending to
    /// <paramref name="contextLength"/> tokens (the new one included), KV-cache write included.</summary>
    KernelTime DecodeAttention(long batch, long contextLength, AttentionShape shape);

    /// <summary>One fused MoE layer for <paramref name="tokens"/> tokens on this GPU (routing included).</summary>
    KernelTime Moe(long tokens, MoeShape shape);

    /// <summary>One all-reduce of <paramref name="bytes"/> bytes per GPU across <paramref name="gpus"/> GPUs.</summary>
    KernelTime AllReduce(long bytes, int gpus);

    /// <summary>A memory-bound elementwise kernel (norm, rotary, activation, residual add, embedding gather) that moves
    /// <paramref name="bytes"/> bytes in all.</summary>
    KernelTime Elementwise(long bytes);
}

namespace PerfNotebooks.Physical;

/// <summary>A kernel timer that asks another for every kernel and maps each time it returns (scaled, calibrated,
/// observed).</summary>
/// <param name="inner">The timer asked.</param>
internal abstract class KernelTimerDecorator(IKernelTimer inner) : IKernelTimer
{
    public string Gpu => inner.Gpu;

    public KernelTimeSource Kind => inner.Kind;

    public KernelTime Gemm(long m, long n, long k, KernelDtype dtype) => Map(inner.Gemm(m, n, k, dtype), OperationKind.Gemm);

    public KernelTime PrefillAttention(long batch, long tokens, long contextLength, AttentionShape shape) =>
        Map(inner.PrefillAttention(batch, tokens, contextLength, shape), OperationKind.PrefillAttention);

    public KernelTime DecodeAttention(long batch, long contextLength, AttentionShape shape) =>
        Map(inner.DecodeAttention(batch, contextLength, shape), OperationKind.DecodeAttention);

    public KernelTime Moe(long tokens, MoeShape shape) => Map(inner.Moe(tokens, shape), OperationKind.Moe);

    public KernelTime AllReduce(long bytes, int gpus) => Map(inner.AllReduce(bytes, gpus), OperationKind.AllReduce);

    public KernelTime Elementwise(long bytes) => Map(inner.Elementwise(bytes), OperationKind.Elementwise);

    /// <summary>The time to report for one call of a <paramref name="kind"/> kernel the inner timer timed at <paramref name="time"/>.</summary>
    protected abstract KernelTime Map(KernelTime time, OperationKind kind);
}

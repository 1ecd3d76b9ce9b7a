using PerfNotebooks.Physical;

namespace PerfNotebooks.Measured;

/// <summary>A kernel timer scaled per <see cref="KernelCategory"/> by a <see cref="Calibration"/>.</summary>
internal sealed class CalibratedKernelTimer(IKernelTimer inner, Calibration calibration) : IKernelTimer
{
    public string Gpu => inner.Gpu;

    public KernelTimeSource Kind => inner.Kind;

    public KernelTime Gemm(long m, long n, long k, KernelDtype dtype) => Scaled(inner.Gemm(m, n, k, dtype), KernelCategory.Gemm);

    public KernelTime PrefillAttention(long batch, long tokens, long contextLength, AttentionShape shape) =>
        Scaled(inner.PrefillAttention(batch, tokens, contextLength, shape), KernelCategory.Attention);

    public KernelTime DecodeAttention(long batch, long contextLength, AttentionShape shape) =>
        Scaled(inner.DecodeAttention(batch, contextLength, shape), KernelCategory.Attention);

    public KernelTime Moe(long tokens, MoeShape shape) => Scaled(inner.Moe(tokens, shape), KernelCategory.Moe);

    public KernelTime AllReduce(long bytes, int gpus) => Scaled(inner.AllReduce(bytes, gpus), KernelCategory.Collective);

    public KernelTime Elementwise(long bytes) => Scaled(inner.Elementwise(bytes), KernelCategory.Elementwise);

    private KernelTime Scaled(KernelTime time, KernelCategory category) => time with { Seconds = time.Seconds * calibration.Scale(category) };
}

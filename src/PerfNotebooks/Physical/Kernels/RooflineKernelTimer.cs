using PerfNotebooks.Hardware;

namespace PerfNotebooks.Physical.Kernels;

/// <summary>
/// The roofline bound of each kernel at datasheet peaks: max(FLOPs / peak FLOP/s, bytes / memory bandwidth); an
/// all-reduce is a ring at the per-direction interconnect bandwidth with no latency. Every time is a lower bound
/// (<see cref="KernelTimeSource.Roofline"/>), never an expectation.
/// </summary>
/// <remarks>FLOPs and bytes per call are <see cref="KernelWork"/>'s physical counts. Peaks are the catalog's datasheet
/// figures (<see cref="GpuSpec.Peak"/> without efficiency, <see cref="GpuSpec.Bandwidth"/>).</remarks>
public sealed class RooflineKernelTimer : IKernelTimer
{
    private readonly GpuSpec _spec;
    private readonly double _bandwidthBytesPerSecond;
    private readonly double _linkBytesPerSecond;
    private readonly double[] _peakFlopsPerSecond;

    /// <summary>A roofline timer at <paramref name="gpu"/>'s datasheet peaks.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="gpu"/> is null.</exception>
    public RooflineKernelTimer(GpuSpec gpu)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        _spec = gpu;
        _bandwidthBytesPerSecond = gpu.Bandwidth();
        _linkBytesPerSecond = gpu.InterconnectBytesPerSecond / 2; // datasheets quote both directions together
        _peakFlopsPerSecond = [.. Enum.GetValues<KernelDtype>().Select(d => gpu.Peak(KernelWork.ComputeFor(d, gpu)))];
    }

    /// <inheritdoc />
    public string Gpu => _spec.Name;

    /// <inheritdoc />
    public KernelTimeSource Kind => KernelTimeSource.Roofline;

    /// <summary>The datasheet figures this timer uses.</summary>
    public GpuSpec Spec => _spec;

    /// <inheritdoc />
    public KernelTime Gemm(long m, long n, long k, KernelDtype dtype)
    {
        Guard.Positive(m);
        Guard.Positive(n);
        Guard.Positive(k);
        return Bound(KernelWork.Gemm(m, n, k, dtype), dtype);
    }

    /// <inheritdoc />
    public KernelTime PrefillAttention(long batch, long tokens, long contextLength, AttentionShape shape)
    {
        Guard.Positive(batch);
        Guard.Positive(tokens);
        Guard.Positive(contextLength);
        return Bound(KernelWork.PrefillAttention(batch, tokens, Math.Max(tokens, contextLength), shape), shape.Dtype);
    }

    /// <inheritdoc />
    public KernelTime DecodeAttention(long batch, long contextLength, AttentionShape shape)
    {
        Guard.Positive(batch);
        Guard.Positive(contextLength);
        return Bound(KernelWork.DecodeAttention(batch, contextLength, shape), shape.Dtype);
    }

    /// <inheritdoc />
    public KernelTime Moe(long tokens, MoeShape shape)
    {
        Guard.Positive(tokens);
        return Bound(KernelWork.Moe(tokens, shape), shape.Dtype);
    }

    /// <inheritdoc />
    public KernelTime AllReduce(long bytes, int gpus)
    {
        Guard.NonNegative(bytes);
        Guard.Positive(gpus);
        return new(gpus == 1 ? 0 : 2.0 * (gpus - 1) / gpus * bytes / _linkBytesPerSecond, KernelTimeSource.Roofline);
    }

    /// <inheritdoc />
    public KernelTime Elementwise(long bytes)
    {
        Guard.NonNegative(bytes);
        return new(bytes / _bandwidthBytesPerSecond, KernelTimeSource.Roofline);
    }

    private KernelTime Bound(KernelWork work, KernelDtype dtype) => new(
        Math.Max(work.Flops / _peakFlopsPerSecond[(int)dtype], work.Bytes / _bandwidthBytesPerSecond),
        KernelTimeSource.Roofline);
}

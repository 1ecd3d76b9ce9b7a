using PerfNotebooks.Analysis;

namespace PerfNotebooks.Physical;

/// <summary>
/// The fallback timer: each kernel at the roofline of the GPU's datasheet peaks, max(FLOPs ÷ peak, bytes ÷ bandwidth),
/// and the all-reduce as a ring at half the bidirectional link bandwidth. Every time it gives is a lower bound;
/// <see cref="KernelTimers.Best"/> prefers measured tables and fitted curves.
/// </summary>
public sealed class DatasheetKernelTimer : IKernelTimer
{
    private readonly GpuSpec _gpu;
    private readonly double _bandwidth;
    private readonly double _linkBytesPerSecond;

    /// <summary>A roofline timer for <paramref name="gpu"/>.</summary>
    public DatasheetKernelTimer(GpuSpec gpu)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        _gpu = gpu;
        _bandwidth = gpu.MemoryBytesPerSecond;
        _linkBytesPerSecond = gpu.InterconnectBytesPerSecond / 2;
    }

    /// <inheritdoc />
    public string Gpu => _gpu.Name;

    /// <inheritdoc />
    public KernelTime Gemm(long m, long n, long k, KernelDtype dtype)
    {
        var flops = 2.0 * m * n * k;
        var bytes = (n * (double)k * WeightBits(dtype) / 8) + (2.0 * m * (n + k));
        return Time(flops, bytes, dtype);
    }

    /// <inheritdoc />
    public KernelTime PrefillAttention(long batch, long tokens, long contextLength, AttentionShape shape)
    {
        var (flops, bytes) = StepModel.PrefillAttentionCost(batch, tokens, contextLength, shape);
        return Time(flops, bytes, shape.Dtype);
    }

    /// <inheritdoc />
    public KernelTime DecodeAttention(long batch, long contextLength, AttentionShape shape)
    {
        var (flops, bytes) = StepModel.DecodeAttentionCost(batch, contextLength, shape);
        return Time(flops, bytes, shape.Dtype);
    }

    /// <inheritdoc />
    public KernelTime Moe(long tokens, MoeShape shape)
    {
        var (flops, bytes) = StepModel.MoeCost(tokens, shape, WeightBits(shape.Dtype));
        return Time(flops, bytes, shape.Dtype);
    }

    /// <inheritdoc />
    public KernelTime AllReduce(long bytes, int gpus) =>
        new(gpus <= 1 ? 0 : 2.0 * (gpus - 1) / gpus * bytes / _linkBytesPerSecond, KernelTimeSource.Roofline);

    /// <inheritdoc />
    public KernelTime Elementwise(long bytes) => new(bytes / _bandwidth, KernelTimeSource.Roofline);

    /// <summary>Stored bits per weight of a GEMM precision (scales left out: this is a bound).</summary>
    public static double WeightBits(KernelDtype dtype) => dtype switch
    {
        KernelDtype.Fp8 or KernelDtype.Fp8Block => 8,
        KernelDtype.Int4WeightOnly or KernelDtype.Nvfp4 or KernelDtype.Mxfp4 => 4,
        KernelDtype.Fp32 => 32,
        _ => 16,
    };

    /// <summary>The datasheet peak FLOP/s a kernel of <paramref name="dtype"/> runs at on <paramref name="gpu"/>
    /// (weight-only formats compute in 16 bits; fp8 falls back to 16 bits on GPUs without fp8 tensor cores).</summary>
    public static double Peak(GpuSpec gpu, KernelDtype dtype)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        var compute = dtype switch
        {
            KernelDtype.Fp8 or KernelDtype.Fp8Block => ComputeDtype.Fp8,
            KernelDtype.Nvfp4 => ComputeDtype.Fp4,
            KernelDtype.Float16 => ComputeDtype.Fp16,
            KernelDtype.Fp32 => ComputeDtype.Fp32,
            _ => ComputeDtype.Bf16,
        };
        return gpu.Supports(compute) ? gpu.Peak(compute)
            : gpu.Supports(ComputeDtype.Fp8) && compute == ComputeDtype.Fp4 ? gpu.Peak(ComputeDtype.Fp8)
            : gpu.Supports(ComputeDtype.Bf16) ? gpu.Peak(ComputeDtype.Bf16)
            : gpu.PeakFlopsPerSecond.Values.Max();
    }

    private KernelTime Time(double flops, double bytes, KernelDtype dtype) =>
        new(Math.Max(flops / Peak(_gpu, dtype), bytes / _bandwidth), KernelTimeSource.Roofline);
}

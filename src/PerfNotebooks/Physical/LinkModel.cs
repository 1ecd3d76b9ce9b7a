using PerfNotebooks.Hardware;

namespace PerfNotebooks.Physical;

/// <summary>
/// α–β model of one GPU-to-GPU transfer: seconds = <see cref="LatencySeconds"/> + bytes ÷ <see cref="BytesPerSecond"/>.
/// Used for expert-parallel all-to-all and pipeline send/receive, which <see cref="IKernelTimer"/> has no call for.
/// </summary>
/// <param name="LatencySeconds">Per-call latency α, seconds.</param>
/// <param name="BytesPerSecond">Achieved bandwidth per GPU in one direction, bytes per second.</param>
internal sealed record LinkModel(double LatencySeconds, double BytesPerSecond)
{
    /// <summary>
    /// NCCL's small-message latency on one NVLink node, about 10 µs per collective call (nccl-tests all-reduce and
    /// send/recv at a few KB on 8×H100 report 8–15 µs; NVIDIA NCCL docs, "Performance"): α = 10 µs.
    /// </summary>
    public const double NcclLatencySeconds = 10e-6;

    /// <summary>The link of <paramref name="gpu"/>: α = <see cref="NcclLatencySeconds"/>, β = half the datasheet's
    /// bidirectional per-GPU interconnect bandwidth (one direction).</summary>
    public static LinkModel For(GpuSpec gpu)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        return new(NcclLatencySeconds, gpu.InterconnectBytesPerSecond / 2);
    }

    /// <summary>Seconds to move <paramref name="bytes"/> bytes.</summary>
    public double Seconds(double bytes) => bytes <= 0 ? 0 : LatencySeconds + (bytes / BytesPerSecond);

    /// <summary>The bandwidth term alone (the bound, no latency).</summary>
    public double BoundSeconds(double bytes) => bytes <= 0 ? 0 : bytes / BytesPerSecond;
}

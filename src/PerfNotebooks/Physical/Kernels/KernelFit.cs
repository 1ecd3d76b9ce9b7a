namespace PerfNotebooks.Physical.Kernels;

/// <summary>
/// A fitted kernel-time curve: seconds = <see cref="FixedSeconds"/> + FLOPs · <see cref="SecondsPerFlop"/> + bytes ·
/// <see cref="SecondsPerByte"/>, i.e. a per-call fixed cost plus the time at an achieved compute rate and an achieved
/// bandwidth.
/// </summary>
/// <remarks>Fitted per GPU and kernel family by least squares on relative error over AIConfigurator's measured rows
/// (coefficients kept non-negative). Because the two terms add rather than take the max, the achieved rates
/// (1 / coefficient) read as sustained rates over the measured shapes, including the lost efficiency of small tiles,
/// not as peaks.</remarks>
/// <param name="FixedSeconds">Per-call fixed cost, in seconds.</param>
/// <param name="SecondsPerFlop">Inverse achieved compute rate, in seconds per FLOP (0: no compute term).</param>
/// <param name="SecondsPerByte">Inverse achieved bandwidth, in seconds per byte (0: no memory term).</param>
public readonly record struct KernelFit(double FixedSeconds, double SecondsPerFlop, double SecondsPerByte)
{
    /// <summary>The fitted time of a call doing <paramref name="work"/>, in seconds.</summary>
    public double Seconds(KernelWork work) => FixedSeconds + (work.Flops * SecondsPerFlop) + (work.Bytes * SecondsPerByte);
}

using System.Collections.Immutable;

namespace PerfNotebooks.Measured;

/// <summary>A step's expected time from the physical book split by <see cref="KernelCategory"/>, with the engine
/// overhead and the roofline bound beside it.</summary>
/// <param name="CategorySeconds">Expected kernel seconds per category, indexed by <see cref="KernelCategory"/>.</param>
/// <param name="OverheadSeconds">Engine overhead (CPU work between steps), seconds.</param>
/// <param name="ExpectedSeconds">Expected step time: the categories plus the overhead, seconds.</param>
/// <param name="BoundSeconds">Roofline bound of the step, seconds.</param>
/// <param name="Flops">Physical FLOPs per GPU (summed over pipeline stages).</param>
/// <param name="Bytes">Physical device-memory bytes per GPU.</param>
public sealed record CategoryEstimate(ImmutableArray<double> CategorySeconds, double OverheadSeconds, double ExpectedSeconds, double BoundSeconds, double Flops, double Bytes)
{
    /// <summary>Expected seconds of <paramref name="category"/>.</summary>
    public double Seconds(KernelCategory category) => CategorySeconds[(int)category];
}

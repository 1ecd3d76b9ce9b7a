using System.Collections.Immutable;

namespace PerfNotebooks.Measured;

/// <summary>One engine step of a profiler trace: the annotation that marks it and the GPU time of the kernels it
/// launched, per <see cref="KernelCategory"/>.</summary>
/// <param name="Index">Position among the trace's steps (0-based).</param>
/// <param name="Name">The annotation (<c>ProfilerStep#12</c>, <c>gpu_model_runner: forward</c>).</param>
/// <param name="StartMicroseconds">Start of the annotation, trace time (µs).</param>
/// <param name="EndMicroseconds">End of the step: the next step's start, else the end of its last kernel (µs).</param>
/// <param name="CategorySeconds">Kernel seconds per category, indexed by <see cref="KernelCategory"/>.</param>
/// <param name="Kernels">Kernels (and copies) in the step.</param>
public sealed record TraceStep(int Index, string Name, double StartMicroseconds, double EndMicroseconds, ImmutableArray<double> CategorySeconds, long Kernels)
{
    /// <summary>GPU kernel seconds of the step, every category together (kernels on several streams may overlap).</summary>
    public double KernelSeconds => CategorySeconds.Sum();

    /// <summary>Wall seconds from the step's start to its end.</summary>
    public double WallSeconds => (EndMicroseconds - StartMicroseconds) / 1e6;

    /// <summary>Kernel seconds of <paramref name="category"/>.</summary>
    public double Seconds(KernelCategory category) => CategorySeconds[(int)category];
}

using System.Collections.Immutable;

namespace PerfNotebooks.Measured;

/// <summary>A profiler trace held against the model: each traced step's kernel time per category beside the expected
/// time of the batch it ran, and where the gap is.</summary>
public sealed class TraceComparison : IMeasuredComparison
{
    internal TraceComparison(ProfilerTrace trace, Batch batch, bool batchGiven, CategoryEstimate expected)
    {
        Trace = trace;
        Batch = batch;
        BatchGiven = batchGiven;
        Expected = expected;
    }

    /// <summary>The trace.</summary>
    public ProfilerTrace Trace { get; }

    /// <summary>The batch each traced step is taken to have run (a trace does not record it).</summary>
    public Batch Batch { get; }

    /// <summary>Whether the batch was given (else the default step).</summary>
    public bool BatchGiven { get; }

    /// <summary>The expected time of that batch per category.</summary>
    public CategoryEstimate Expected { get; }

    /// <summary>Measured kernel seconds per category, mean over the steps (the whole trace when it marks no steps).</summary>
    public ImmutableArray<double> MeasuredPerStep =>
        Trace.Steps.IsEmpty ? Trace.CategorySeconds
        : [.. KernelClassifier.All.Select(c => Trace.Steps.Average(s => s.Seconds(c)))];

    /// <summary>Per category: measured per step, expected, measured − expected (seconds), largest gap first.</summary>
    public ImmutableArray<(KernelCategory Category, double MeasuredSeconds, double ExpectedSeconds, double GapSeconds)> Gaps =>
    [
        .. KernelClassifier.All.Select(c => (c, MeasuredPerStep[(int)c], Expected.Seconds(c), MeasuredPerStep[(int)c] - Expected.Seconds(c)))
            .Where(g => g.Item2 > 0 || g.Item3 > 0)
            .OrderByDescending(g => Math.Abs(g.Item4)),
    ];
}

using System.Collections.Immutable;
using PerfNotebooks.Hardware;

namespace PerfNotebooks.Analysis;

/// <summary>A step's roofline on one GPU: every term, operation and component, the step, and TP communication.</summary>
/// <param name="Gpu">The GPU.</param>
/// <param name="Dtype">The compute dtype whose peak was used.</param>
/// <param name="AppliedEfficiency">Whether the GPU's stated efficiencies scaled the peaks.</param>
/// <param name="Terms">Each breakdown term alone (a FLOP term is compute time, a byte term memory time).</param>
/// <param name="Operations">Terms grouped into the kernels they belong to (QKV projection, attention, …).</param>
/// <param name="Components">Per component.</param>
/// <param name="Step">The whole step as one roofline (a lower bound: perfect overlap of everything).</param>
/// <param name="Communication">The tensor-parallel all-reduces, or null with one tensor-parallel rank.</param>
public sealed record RooflineReport(
    GpuSpec Gpu,
    ComputeDtype Dtype,
    bool AppliedEfficiency,
    ImmutableArray<RooflineRow> Terms,
    ImmutableArray<RooflineRow> Operations,
    ImmutableArray<RooflineRow> Components,
    RooflineRow Step,
    RooflineRow? Communication)
{
    /// <summary>The physical book's time of the step through every pipeline stage: expected (kernel timer plus engine
    /// overhead) and the physical roofline bound; null when the physical model could not be built (see <see cref="Warnings"/>).</summary>
    public Physical.StepTime? Physical { get; init; }

    /// <summary>The physical operations of the step, per GPU, with their kernel shapes (empty when <see cref="Physical"/> is null).</summary>
    public ImmutableArray<Physical.PhysicalOperation> PhysicalOperations { get; init; } = [];

    /// <summary>What the physical estimate leaves out or guesses (an unmodelled quantization); empty when complete.</summary>
    public ImmutableArray<string> Warnings { get; init; } = [];

    /// <summary>Expected step time from the physical book, seconds (the vLLM-book <see cref="StepSeconds"/> when unavailable).</summary>
    public double ExpectedSeconds => Physical?.ExpectedSeconds ?? StepSeconds;

    /// <summary>vLLM-book roofline time of one stage: operations run one after another, each at its roofline, plus communication.</summary>
    public double StepSeconds => Operations.Sum(o => o.Seconds) + (Communication?.Seconds ?? 0);

    /// <summary>Peak FLOP/s used (after efficiency when applied).</summary>
    public double PeakFlopsPerSecond => Gpu.Peak(Dtype, AppliedEfficiency);

    /// <summary>Memory bandwidth used (after efficiency when applied).</summary>
    public double BytesPerSecond => Gpu.Bandwidth(AppliedEfficiency);

    /// <summary>The ridge point, FLOPs per byte.</summary>
    public double Ridge => PeakFlopsPerSecond / BytesPerSecond;

    /// <summary>A readable summary: the GPU roof, then one line per operation and the step.</summary>
    public override string ToString()
    {
        var lines = new List<string>
        {
            $"roofline on {Gpu.Name}: {Dtype.ToString().ToLowerInvariant()} peak {Units.FlopRate(PeakFlopsPerSecond)}, {Units.Bandwidth(BytesPerSecond)}, ridge {Units.Significant(Ridge)} FLOP/B" +
            (AppliedEfficiency ? " (with stated efficiencies)" : string.Empty),
        };
        lines.AddRange(Operations.Select(o => "  " + o));
        if (Communication is { } comm)
        {
            lines.Add("  " + comm);
        }

        lines.Add($"step {Units.Seconds(StepSeconds)} in sequence, lower bound {Units.Seconds(Step.Seconds)}; {Step.Bound.ToString().ToLowerInvariant()}-bound");
        return string.Join('\n', lines);
    }
}

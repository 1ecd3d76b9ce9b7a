namespace PerfNotebooks.Analysis;

/// <summary>A step's totals per GPU and its roofline time, without breakdowns.</summary>
/// <param name="Flops">FLOPs per GPU.</param>
/// <param name="ReadBytes">Bytes read per GPU.</param>
/// <param name="WriteBytes">Bytes written per GPU.</param>
/// <param name="ComputeSeconds">Σ over operations of max(FLOPs ÷ peak, bytes ÷ bandwidth): kernels one after another.</param>
/// <param name="CommunicationSeconds">Tensor-parallel all-reduce time.</param>
/// <param name="LowerBoundSeconds">max(total FLOPs ÷ peak, total bytes ÷ bandwidth): everything perfectly overlapped.</param>
public readonly record struct StepEstimate(
    Int128 Flops,
    Int128 ReadBytes,
    Int128 WriteBytes,
    double ComputeSeconds,
    double CommunicationSeconds,
    double LowerBoundSeconds)
{
    /// <summary>Expected step time from the physical book (every pipeline stage and transfer, kernel timer plus engine
    /// overhead), seconds; 0 when not computed.</summary>
    public double ExpectedSeconds { get; init; }

    /// <summary>Roofline bound of the physical step (every stage, datasheet peaks, no overhead), seconds; 0 when not computed.</summary>
    public double BoundSeconds { get; init; }

    /// <summary>Step time: the expected time when the physical book computed it, else the vLLM-book roofline
    /// (operations plus communication of one stage).</summary>
    public double Seconds => ExpectedSeconds > 0 ? ExpectedSeconds : ComputeSeconds + CommunicationSeconds;

    /// <summary>Bytes moved per GPU.</summary>
    public Int128 Bytes => checked(ReadBytes + WriteBytes);

    /// <summary>FLOPs per byte for the whole step.</summary>
    public double ArithmeticIntensity => Bytes == 0 ? (Flops == 0 ? 0 : double.PositiveInfinity) : (double)Flops / (double)Bytes;
}

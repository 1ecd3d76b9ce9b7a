namespace PerfNotebooks;

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
    /// <summary>Estimated step time: operations plus communication.</summary>
    public double Seconds => ComputeSeconds + CommunicationSeconds;

    /// <summary>Bytes moved per GPU.</summary>
    public Int128 Bytes => checked(ReadBytes + WriteBytes);

    /// <summary>FLOPs per byte for the whole step.</summary>
    public double ArithmeticIntensity => Bytes == 0 ? (Flops == 0 ? 0 : double.PositiveInfinity) : (double)Flops / (double)Bytes;
}

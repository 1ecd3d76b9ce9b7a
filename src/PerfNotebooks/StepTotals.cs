namespace PerfNotebooks;

/// <summary>The three totals of a step: FLOPs, bytes read and bytes written.</summary>
/// <param name="Flops">Floating-point operations.</param>
/// <param name="ReadBytes">Bytes read from device memory.</param>
/// <param name="WriteBytes">Bytes written to device memory.</param>
public readonly record struct StepTotals(Int128 Flops, Int128 ReadBytes, Int128 WriteBytes)
{
    /// <summary>Bytes moved, read plus written.</summary>
    public Int128 Bytes => checked(ReadBytes + WriteBytes);

    /// <summary>The total of one metric.</summary>
    public Int128 this[Metric metric] => metric switch
    {
        Metric.Flops => Flops,
        Metric.ReadBytes => ReadBytes,
        _ => WriteBytes,
    };

    /// <summary>A readable summary: <c>17.2 GFLOP, read 15.6 GB, write 4.2 MB</c>.</summary>
    public override string ToString() => $"{Units.Flops(Flops)}, read {Units.Bytes(ReadBytes)}, write {Units.Bytes(WriteBytes)}";
}

namespace PerfNotebooks.Analysis;

/// <summary>One line of a roofline: work, intensity, what bounds it and how long it takes on the chosen GPU.</summary>
/// <param name="Name">Term (<c>attn.qkv_proj</c>), operation (<c>attn.qkv</c>), component (<c>attn</c>) or <c>step</c>.</param>
/// <param name="Flops">FLOPs per GPU.</param>
/// <param name="Bytes">Bytes moved per GPU (read + write; for communication, bytes each GPU sends).</param>
/// <param name="ArithmeticIntensity">FLOPs per byte (infinite when no bytes move, 0 when no FLOPs).</param>
/// <param name="Bound">What limits it.</param>
/// <param name="AttainableFlopsPerSecond">min(peak, intensity × bandwidth), FLOP/s.</param>
/// <param name="ComputeSeconds">FLOPs ÷ peak FLOP/s.</param>
/// <param name="MemorySeconds">Bytes ÷ bandwidth (interconnect bandwidth for communication).</param>
public sealed record RooflineRow(
    string Name,
    Int128 Flops,
    Int128 Bytes,
    double ArithmeticIntensity,
    Bound Bound,
    double AttainableFlopsPerSecond,
    double ComputeSeconds,
    double MemorySeconds)
{
    /// <summary>Roofline time: max(compute, memory) seconds.</summary>
    public double Seconds => Math.Max(ComputeSeconds, MemorySeconds);

    /// <summary>One line: name, FLOPs, bytes, intensity, bound and time.</summary>
    public override string ToString() =>
        $"{Name}: {Units.Flops(Flops)}, {Units.Bytes(Bytes)}, {Units.Significant(ArithmeticIntensity)} FLOP/B, {Bound.ToString().ToLowerInvariant()}-bound, {Units.Seconds(Seconds)}";
}

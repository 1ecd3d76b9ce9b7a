using System.Globalization;

namespace PerfNotebooks.Rendering;

/// <summary>One table cell: the text a person reads (SI units) and, for a count, the exact integer.</summary>
/// <param name="Text">The readable text, e.g. <c>1.61 GFLOP</c>.</param>
/// <param name="Exact">The exact value, e.g. <c>1610612736</c>, or null when the text is already exact.</param>
public readonly record struct TableCell(string Text, string? Exact = null)
{
    /// <summary>An empty cell.</summary>
    public static TableCell Empty { get; } = new(string.Empty);

    /// <summary>A FLOP count.</summary>
    public static TableCell Flops(Int128 flops) => new(Units.Flops(flops), flops.ToString(CultureInfo.InvariantCulture));

    /// <summary>A byte count.</summary>
    public static TableCell Bytes(Int128 bytes) => new(Units.Bytes(bytes), bytes.ToString(CultureInfo.InvariantCulture));

    /// <summary>A byte amount computed in floating point (usable memory, KV cache).</summary>
    public static TableCell Bytes(double bytes) => new(Units.Bytes(bytes));

    /// <summary>A duration.</summary>
    public static TableCell Seconds(double seconds) => new(Units.Seconds(seconds));

    /// <summary>A FLOP rate.</summary>
    public static TableCell FlopRate(double flopsPerSecond) => new(Units.FlopRate(flopsPerSecond));

    /// <summary>A bandwidth.</summary>
    public static TableCell Bandwidth(double bytesPerSecond) => new(Units.Bandwidth(bytesPerSecond));

    /// <summary>A whole number with thousands separators.</summary>
    public static TableCell Count(long value) => new(value.ToString("N0", CultureInfo.InvariantCulture), value.ToString(CultureInfo.InvariantCulture));

    /// <summary>A fraction as a percentage with one decimal.</summary>
    public static TableCell Percent(double fraction) => new((fraction * 100).ToString("F1", CultureInfo.InvariantCulture) + " %");

    /// <summary>Arithmetic intensity in FLOPs per byte (∞ when no bytes move).</summary>
    public static TableCell Intensity(double flopsPerByte) => new(Units.Significant(flopsPerByte));

    /// <summary>A rate in tokens per second.</summary>
    public static TableCell TokensPerSecond(double tokensPerSecond) => new(Units.Si(tokensPerSecond, "tok/s"));

    /// <summary>Text.</summary>
    public static implicit operator TableCell(string text) => new(text);

    /// <summary>Text (the implicit conversion's named alternative).</summary>
    public static TableCell FromString(string text) => new(text);

    /// <summary>The text, or the exact value when <paramref name="exact"/> and there is one.</summary>
    public string Show(bool exact) => exact && Exact is not null ? Exact : Text;

    /// <inheritdoc />
    public override string ToString() => Text;
}

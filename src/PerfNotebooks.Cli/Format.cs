using System.Globalization;
using System.Text.Json;

namespace PerfNotebooks.Cli;

/// <summary>Number formats for terminal tables.</summary>
public static class Format
{
    /// <summary>Indented JSON for --json output.</summary>
    public static JsonSerializerOptions IndentedJson { get; } = new() { WriteIndented = true };

    /// <summary>A count in billions (<c>70.6 B</c>) or millions.</summary>
    public static string Params(long count) => count >= 1_000_000_000
        ? (count / 1e9).ToString("F1", CultureInfo.InvariantCulture) + " B"
        : (count / 1e6).ToString("F0", CultureInfo.InvariantCulture) + " M";

    /// <summary>A whole number with thousands separators.</summary>
    public static string Whole(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A percentage with one decimal.</summary>
    public static string Percent(double fraction) => (fraction * 100).ToString("F1", CultureInfo.InvariantCulture) + " %";

    /// <summary>FLOPs per byte, three significant digits (∞ when no bytes move).</summary>
    public static string Intensity(double value) => double.IsPositiveInfinity(value) ? "inf" : Units.Significant(value);
}

using System.Globalization;

namespace PerfNotebooks;

/// <summary>Formats quantities with SI prefixes a person can read (<c>1.47 TFLOP</c>, <c>3.35 TB/s</c>, <c>12.3 ms</c>).</summary>
public static class Units
{
    private static readonly (double Scale, string Prefix)[] Prefixes =
    [
        (1e24, "Y"), (1e21, "Z"), (1e18, "E"), (1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"),
    ];

    /// <summary>A value with an SI prefix and three significant digits (<c>1.47 T</c> + unit).</summary>
    public static string Si(double value, string unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        if (!double.IsFinite(value))
        {
            return NotFinite(value) + " " + unit;
        }

        var magnitude = Math.Abs(value);
        if (magnitude >= 999.5e24)
        {
            return Significant(value) + " " + unit;
        }

        foreach (var (scale, prefix) in Prefixes)
        {
            if (magnitude >= scale * 0.9995)
            {
                return Significant(value / scale) + " " + prefix + unit;
            }
        }

        return Significant(value) + " " + unit;
    }

    /// <summary>An exact count with an SI prefix (<c>1.47 TFLOP</c>).</summary>
    public static string Si(Int128 value, string unit) => Si((double)value, unit);

    /// <summary>FLOPs (<c>1.47 TFLOP</c>).</summary>
    public static string Flops(Int128 flops) => Si(flops, "FLOP");

    /// <summary>Bytes, decimal prefixes (<c>15.0 GB</c>).</summary>
    public static string Bytes(Int128 bytes) => Si(bytes, "B");

    /// <summary>Bytes, decimal prefixes (<c>15.0 GB</c>).</summary>
    public static string Bytes(double bytes) => Si(bytes, "B");

    /// <summary>A FLOP rate (<c>989 TFLOP/s</c>).</summary>
    public static string FlopRate(double flopsPerSecond) => Si(flopsPerSecond, "FLOP/s");

    /// <summary>A bandwidth (<c>3.35 TB/s</c>).</summary>
    public static string Bandwidth(double bytesPerSecond) => Si(bytesPerSecond, "B/s");

    /// <summary>A duration in d, h, min, s, ms, µs or ns (<c>12.3 ms</c>); infinite is <c>∞ s</c>.</summary>
    public static string Seconds(double seconds)
    {
        var magnitude = Math.Abs(seconds);
        return magnitude switch
        {
            _ when !double.IsFinite(seconds) => NotFinite(seconds) + " s",
            0 => "0 s",
            >= 99.95 * 3600 => Significant(seconds / 86400) + " d",
            >= 99.95 * 60 => Significant(seconds / 3600) + " h",
            >= 99.95 => Significant(seconds / 60) + " min",
            >= 0.9995 => Significant(seconds) + " s",
            >= 0.9995e-3 => Significant(seconds * 1e3) + " ms",
            >= 0.9995e-6 => Significant(seconds * 1e6) + " µs",
            _ => Significant(seconds * 1e9) + " ns",
        };
    }

    /// <summary>Three significant digits, invariant culture (<c>1.47</c>, <c>14.7</c>, <c>147</c>).</summary>
    /// <remarks>Past 999,999 (or below 0.001) the value is written in scientific notation, <c>1.23e+110</c>; never as 110 digits.</remarks>
    public static string Significant(double value)
    {
        var magnitude = Math.Abs(value);
        if (!double.IsFinite(value))
        {
            return NotFinite(value);
        }

        if (magnitude >= 999_999.5 || (magnitude > 0 && magnitude < 0.0009995))
        {
            return value.ToString("0.00e+0", CultureInfo.InvariantCulture);
        }

        var format = magnitude >= 99.95 ? "F0" : magnitude >= 9.995 ? "F1" : "F2";
        return value.ToString(format, CultureInfo.InvariantCulture);
    }

    private static string NotFinite(double value) => double.IsNaN(value) ? "n/a" : value > 0 ? "∞" : "-∞";
}

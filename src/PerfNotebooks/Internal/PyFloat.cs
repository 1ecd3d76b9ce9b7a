using System.Globalization;

namespace PerfNotebooks.Internal;

/// <summary>Python's float conversions and formats, so log lines match vLLM's to the character.</summary>
internal static class PyFloat
{
    /// <summary>Python's <c>float(n)</c>: the nearest double, ties to even.</summary>
    public static double FromInt(Int128 value)
    {
        if (value == Int128.MinValue)
        {
            return -1.7014118346046923e38;
        }

        if (value < 0)
        {
            return -FromInt(-value);
        }

        var magnitude = (UInt128)value;
        var bits = 128 - (int)UInt128.LeadingZeroCount(magnitude);
        if (bits <= 53)
        {
            return (double)(ulong)magnitude;
        }

        var shift = bits - 53;
        var mantissa = magnitude >> shift;
        var remainder = magnitude - (mantissa << shift);
        var half = UInt128.One << (shift - 1);
        if (remainder > half || (remainder == half && (mantissa & 1) == 1))
        {
            mantissa++;
        }

        return Math.ScaleB((double)(ulong)mantissa, shift);
    }

    /// <summary>Python's <c>f"{value:.{digits}f}"</c> (and <c>"%.{digits}f" % value</c>).</summary>
    public static string Fixed(double value, int digits) =>
        value.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>Python's <c>f"{value:.{digits}%}"</c>: the value times 100 (a float multiply), fixed, then <c>%</c>.</summary>
    public static string Percent(double value, int digits) => Fixed(value * 100, digits) + "%";
}

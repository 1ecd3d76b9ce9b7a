using System.Runtime.CompilerServices;

namespace PerfNotebooks;

/// <summary>Argument guards shared by the core types; each failure is one line naming the field and the value.</summary>
internal static class Guard
{
    /// <summary>Returns <paramref name="value"/> when it is greater than zero.</summary>
    /// <exception cref="InvalidValueException">The value is zero or negative.</exception>
    public static int Positive(int value, [CallerArgumentExpression(nameof(value))] string? name = null) =>
        value > 0 ? value : throw new InvalidValueException(name, value, "must be greater than 0");

    /// <summary>Returns <paramref name="value"/> when it is greater than zero.</summary>
    /// <exception cref="InvalidValueException">The value is zero or negative.</exception>
    public static long Positive(long value, [CallerArgumentExpression(nameof(value))] string? name = null) =>
        value > 0 ? value : throw new InvalidValueException(name, value, "must be greater than 0");

    /// <summary>Returns <paramref name="value"/> when it is zero or greater.</summary>
    /// <exception cref="InvalidValueException">The value is negative.</exception>
    public static long NonNegative(long value, [CallerArgumentExpression(nameof(value))] string? name = null) =>
        value >= 0 ? value : throw new InvalidValueException(name, value, "must be at least 0");

    /// <summary>Returns <paramref name="value"/> when it is a fraction in (0, 1].</summary>
    /// <exception cref="InvalidValueException">The value is not in (0, 1] (NaN included).</exception>
    public static double Fraction(double value, [CallerArgumentExpression(nameof(value))] string? name = null) =>
        value is > 0 and <= 1 ? value : throw new InvalidValueException(name, value, "must be a fraction in (0, 1]");
}

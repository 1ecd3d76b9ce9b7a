using System.Runtime.CompilerServices;

namespace PerfNotebooks;

/// <summary>Argument guards shared by the core types.</summary>
internal static class Guard
{
    /// <summary>Returns <paramref name="value"/> when it is greater than zero.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public static int Positive(int value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value, name);
        return value;
    }

    /// <summary>Returns <paramref name="value"/> when it is greater than zero.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public static long Positive(long value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value, name);
        return value;
    }

    /// <summary>Returns <paramref name="value"/> when it is zero or greater.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public static long NonNegative(long value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value, name);
        return value;
    }
}

namespace PerfNotebooks.Internal;

/// <summary>Integer helpers with Python's semantics, so that formulas ported from vLLM keep their results.</summary>
internal static class PyMath
{
    /// <summary>Python's <c>a // b</c>: division rounded towards negative infinity.</summary>
    public static Int128 FloorDiv(Int128 a, Int128 b)
    {
        var quotient = a / b;
        return (a % b != 0) && ((a < 0) != (b < 0)) ? quotient - 1 : quotient;
    }

    /// <summary>Python's <c>a // b</c> for 64-bit values.</summary>
    public static long FloorDiv(long a, long b)
    {
        var quotient = a / b;
        return (a % b != 0) && ((a < 0) != (b < 0)) ? quotient - 1 : quotient;
    }
}

using System.Globalization;
using System.Numerics;
using PerfNotebooks.Internal;

namespace PerfNotebooks;

/// <summary>
/// The storage size of one element, in bits: 32 for float32, 16 for bf16/fp16, 8 for fp8, 4 for mxfp4.
/// Whole-byte sizes multiply exactly; the 4-bit size reproduces vLLM's <c>int(x * 0.5 * y)</c> float arithmetic.
/// </summary>
public readonly record struct ByteSize
{
    private ByteSize(int bits) => Bits = bits;

    /// <summary>Bits per element.</summary>
    public int Bits { get; }

    /// <summary>Bytes per element as vLLM writes it (<c>2</c>, <c>1</c>, <c>0.5</c>).</summary>
    public decimal Bytes => Bits / 8m;

    /// <summary>True when one element is a whole number of bytes.</summary>
    public bool IsWholeBytes => Bits % 8 == 0;

    /// <summary>4 bits (mxfp4 and other 4-bit weight formats).</summary>
    public static ByteSize FourBit { get; } = new(4);

    /// <summary>A size from whole bytes per element.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bytes"/> is not positive.</exception>
    public static ByteSize FromBytes(int bytes) => new(checked(Guard.Positive(bytes) * 8));

    /// <summary>A size from bits per element.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bits"/> is not positive.</exception>
    public static ByteSize FromBits(int bits) => new(Guard.Positive(bits));

    /// <summary>
    /// Python's <c>int(prefix * size * suffix)</c>, evaluated left to right as vLLM does: exact when the size is
    /// whole bytes, through IEEE doubles (then truncated) when it is fractional, quirks included.
    /// </summary>
    /// <exception cref="OverflowException">The result does not fit in <typeparamref name="T"/>.</exception>
    public T Scale<T>(T prefix, T suffix)
        where T : IBinaryInteger<T>
    {
        if (IsWholeBytes)
        {
            return checked(prefix * T.CreateTruncating(Bits / 8) * suffix);
        }

        // Implementation note: Python turns the int into a float (round to nearest), multiplies by the byte size
        // (exact for 0.5), converts the next int and multiplies again (rounded), then int() truncates.
        var value = ToDouble(prefix) * (Bits / 8.0) * ToDouble(suffix);
        return T.CreateChecked(Math.Truncate(value));
    }

    private static double ToDouble<T>(T value)
        where T : IBinaryInteger<T> =>
        typeof(T) == typeof(long) ? long.CreateTruncating(value) : PyFloat.FromInt(Int128.CreateTruncating(value));

    /// <inheritdoc />
    public override string ToString() => Bytes.ToString(CultureInfo.InvariantCulture);
}

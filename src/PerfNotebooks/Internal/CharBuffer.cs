using System.Buffers;
using System.Globalization;

namespace PerfNotebooks.Internal;

/// <summary>A growable text buffer on pooled arrays, with number formatting that allocates nothing.</summary>
internal sealed class CharBuffer : IDisposable
{
    private static readonly double[] Powers = [.. Enumerable.Range(0, 40).Select(i => Math.Pow(10, i - 20))];
    private char[] _chars;

    public CharBuffer(int capacity = 1 << 16) => _chars = ArrayPool<char>.Shared.Rent(Math.Max(capacity, 64));

    public int Length { get; private set; }

    public void Append(char c)
    {
        Reserve(1);
        _chars[Length++] = c;
    }

    public void Append(string? text)
    {
        if (text is null)
        {
            return;
        }

        Reserve(text.Length);
        text.CopyTo(0, _chars, Length, text.Length);
        Length += text.Length;
    }

    public void Append(Int128 value)
    {
        Reserve(48);
        value.TryFormat(_chars.AsSpan(Length), out var written, default, CultureInfo.InvariantCulture);
        Length += written;
    }

    /// <summary>Six significant digits, plain decimal between 1e-5 and 1e15, else d.ddddde±N; trailing zeros trimmed.</summary>
    public void AppendSignificant(double value)
    {
        if (!double.IsFinite(value))
        {
            return;
        }

        if (value == 0)
        {
            Append('0');
            return;
        }

        Reserve(32);
        if (value < 0)
        {
            _chars[Length++] = '-';
            value = -value;
        }

        var exponent = (int)Math.Floor(Math.Log10(value));
        if (exponent is < -14 or > 14)
        {
            value.TryFormat(_chars.AsSpan(Length), out var written, "E5", CultureInfo.InvariantCulture);
            Length += written;
            return;
        }

        var mantissa = (long)Math.Round(value * Powers[5 - exponent + 20]);
        if (mantissa >= 1_000_000)
        {
            mantissa = (mantissa + 5) / 10;
            exponent++;
        }
        else if (mantissa < 100_000)
        {
            mantissa *= 10;
            exponent--;
        }

        Span<char> digits = stackalloc char[6];
        for (var i = 5; i >= 0; i--)
        {
            digits[i] = (char)('0' + (mantissa % 10));
            mantissa /= 10;
        }

        var last = 5;
        while (last > 0 && digits[last] == '0' && last > exponent)
        {
            last--;
        }

        if (exponent < 0)
        {
            _chars[Length++] = '0';
            _chars[Length++] = '.';
            for (var i = -1; i > exponent; i--)
            {
                _chars[Length++] = '0';
            }

            for (var i = 0; i <= last; i++)
            {
                _chars[Length++] = digits[i];
            }

            return;
        }

        for (var i = 0; i <= Math.Max(last, exponent); i++)
        {
            if (i == exponent + 1)
            {
                _chars[Length++] = '.';
            }

            _chars[Length++] = i < 6 ? digits[i] : '0';
        }
    }

    public void WriteTo(TextWriter writer) => writer.Write(_chars, 0, Length);

    public void Clear() => Length = 0;

    public override string ToString() => new(_chars, 0, Length);

    public void Dispose()
    {
        ArrayPool<char>.Shared.Return(_chars);
        _chars = [];
    }

    private void Reserve(int count)
    {
        if (Length + count <= _chars.Length)
        {
            return;
        }

        var larger = ArrayPool<char>.Shared.Rent(Math.Max(_chars.Length * 2, Length + count));
        _chars.AsSpan(0, Length).CopyTo(larger);
        ArrayPool<char>.Shared.Return(_chars);
        _chars = larger;
    }
}

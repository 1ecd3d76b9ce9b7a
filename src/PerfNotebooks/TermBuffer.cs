using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PerfNotebooks.Internal;

/// <summary>
/// A stack-allocated list of up to 32 terms with a running total. Components write their terms into it, so a model
/// total is computed without allocating; <see cref="ToBreakdown"/> copies the terms out once.
/// </summary>
public struct TermBuffer
{
    /// <summary>The most terms a buffer holds.</summary>
    public const int Capacity = 32;

    private Storage _terms;
    private bool _totalOnly;

    /// <summary>Number of terms written.</summary>
    public int Count { get; private set; }

    /// <summary>The checked sum of the terms written.</summary>
    public Int128 Total { get; private set; }

    /// <summary>Appends a term.</summary>
    /// <exception cref="InvalidOperationException">The buffer is full.</exception>
    /// <exception cref="OverflowException">The running total overflows 128 bits.</exception>
    public void Add(TermKey key, Int128 value)
    {
        Total = checked(Total + value);
        if (_totalOnly)
        {
            return;
        }

        if (Count == Capacity)
        {
            throw new InvalidOperationException($"A breakdown holds at most {Capacity} terms.");
        }

        _terms[Count++] = new Term(key, value);
    }

    /// <summary>The term at <paramref name="index"/>.</summary>
    public readonly Term this[int index] => (uint)index < (uint)Count ? _terms[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>An empty buffer that keeps terms, without zeroing its storage first.</summary>
    public static TermBuffer Create()
    {
        Unsafe.SkipInit(out TermBuffer buffer);
        buffer._totalOnly = false;
        buffer.Count = 0;
        buffer.Total = 0;
        return buffer;
    }

    /// <summary>A buffer that keeps only the running total (no terms), for allocation-free totals.</summary>
    public static TermBuffer TotalOnly()
    {
        Unsafe.SkipInit(out TermBuffer buffer);
        buffer._totalOnly = true;
        buffer.Count = 0;
        buffer.Total = 0;
        return buffer;
    }

    /// <summary>Drops every term written after the first <paramref name="count"/> (and their share of the total).</summary>
    public void Truncate(int count, Int128 total)
    {
        Count = count;
        Total = total;
    }

    /// <summary>The terms written so far, as a breakdown.</summary>
    public readonly Breakdown ToBreakdown()
    {
        var terms = new Term[Count];
        for (var i = 0; i < Count; i++)
        {
            terms[i] = _terms[i];
        }

        return new Breakdown(ImmutableCollectionsMarshal.AsImmutableArray(terms), Total);
    }

    [InlineArray(Capacity)]
    private struct Storage
    {
        private Term _element;
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PerfNotebooks.Internal;

/// <summary>
/// A stack-allocated list of up to 32 terms with a running total. Components write their terms into it, so a model
/// total is computed without allocating; <see cref="ToBreakdown"/> copies the terms out once.
/// </summary>
internal struct TermBuffer
{
    /// <summary>The most terms a buffer holds.</summary>
    public const int Capacity = 32;

    private Storage _terms;
    private OperationTotals _perOperation;
    private Mode _mode;

    /// <summary>Number of terms written.</summary>
    public int Count { get; private set; }

    /// <summary>The checked sum of the terms written.</summary>
    public Int128 Total { get; private set; }

    /// <summary>Appends a term.</summary>
    /// <exception cref="InvalidOperationException">The buffer is full.</exception>
    /// <exception cref="OverflowException">The running total overflows 128 bits.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(TermKey key, Int128 value)
    {
        // Implementation note: only the total is kept on the totals-only path (StepStats, Totals), so that part is
        // inlined into every component's formulas; storing a term or a per-operation sum is a call.
        Total = checked(Total + value);
        if (_mode != Mode.TotalOnly)
        {
            Store(key, value);
        }
    }

    private void Store(TermKey key, Int128 value)
    {
        if (_mode == Mode.PerOperation)
        {
            // Implementation note: nearly every count fits in 64 bits, and long → double is one instruction.
            _perOperation[key.Operation] += value >= long.MinValue && value <= long.MaxValue ? (long)value : (double)value;
            return;
        }

        if (Count == Capacity)
        {
            throw new InvalidOperationException($"A breakdown holds at most {Capacity} terms.");
        }

        _terms[Count++] = new StoredTerm(key.Id, value);
    }

    /// <summary>The term at <paramref name="index"/>.</summary>
    public readonly Term this[int index] => (uint)index < (uint)Count ? _terms[index].ToTerm() : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>An empty buffer that keeps terms, without zeroing its storage first.</summary>
    [SkipLocalsInit]
    public static TermBuffer Create()
    {
        Unsafe.SkipInit(out TermBuffer buffer);
        buffer._mode = Mode.Terms;
        buffer.Count = 0;
        buffer.Total = 0;
        return buffer;
    }

    /// <summary>
    /// Makes <paramref name="buffer"/> a buffer that keeps only the running total (no terms), for allocation-free
    /// totals. In place: returning the 1 KB struct by value cost a copy per call, a fifth of a step's stats.
    /// </summary>
    [SkipLocalsInit]
    public static void TotalOnly(out TermBuffer buffer)
    {
        Unsafe.SkipInit(out buffer);
        buffer._mode = Mode.TotalOnly;
        buffer.Count = 0;
        buffer.Total = 0;
    }

    /// <summary>
    /// A buffer that keeps the running total and, per kernel (<see cref="TermKey.Operation"/>), the sum of the terms as
    /// a double, without storing terms: the sweep's roofline needs only these.
    /// </summary>
    [SkipLocalsInit]
    public static TermBuffer PerOperation()
    {
        Unsafe.SkipInit(out TermBuffer buffer);
        buffer._mode = Mode.PerOperation;
        buffer.Count = 0;
        buffer.Total = 0;
        ((Span<double>)buffer._perOperation).Clear();
        return buffer;
    }

    /// <summary>The sum of the terms of operation <paramref name="operation"/> written so far (a buffer made by <see cref="PerOperation"/>; 0 otherwise).</summary>
    public readonly double OperationTotal(int operation) =>
        _mode == Mode.PerOperation && (uint)operation < OperationCapacity ? _perOperation[operation] : 0;

    /// <summary>Drops every term written after the first <paramref name="count"/> (and their share of the total); truncating to 0 also clears the per-operation sums.</summary>
    public void Truncate(int count, Int128 total)
    {
        Count = count;
        Total = total;
        if (count == 0 && total == 0 && _mode == Mode.PerOperation)
        {
            ((Span<double>)_perOperation).Clear();
        }
    }

    private const int OperationCapacity = 16;

    /// <summary>The terms written so far, as a breakdown.</summary>
    public readonly Breakdown ToBreakdown()
    {
        var terms = new Term[Count];
        for (var i = 0; i < Count; i++)
        {
            terms[i] = _terms[i].ToTerm();
        }

        return new Breakdown(ImmutableCollectionsMarshal.AsImmutableArray(terms), Total);
    }

    private enum Mode : byte
    {
        Terms,
        TotalOnly,
        PerOperation,
    }

    [InlineArray(Capacity)]
    private struct Storage
    {
        private StoredTerm _element;
    }

    private readonly record struct StoredTerm(int KeyId, Int128 Value)
    {
        public Term ToTerm() => new(TermKey.FromId(KeyId), Value);
    }

    [InlineArray(OperationCapacity)]
    private struct OperationTotals
    {
        private double _element;
    }
}

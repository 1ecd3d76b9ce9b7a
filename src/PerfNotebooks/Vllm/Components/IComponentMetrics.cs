using System.Collections.Immutable;
using PerfNotebooks.Internal;

namespace PerfNotebooks.Vllm.Components;

/// <summary>
/// One part of a transformer step (attention, FFN, unembedding) and the formulas that count its FLOPs, read bytes
/// and write bytes for a batch.
/// </summary>
public interface IComponentMetrics
{
    /// <summary>The component's name, the prefix of its terms (<c>attn</c>).</summary>
    string Name { get; }

    /// <summary>The validated fields the formulas use, in vLLM's order.</summary>
    ImmutableArray<ComponentField> Fields { get; }

    /// <summary>
    /// Appends this component's terms of <paramref name="metric"/> for <paramref name="ctx"/> to <paramref name="terms"/>,
    /// in formula order, computed in checked 64-bit arithmetic (the fast path).
    /// </summary>
    /// <exception cref="OverflowException">A value does not fit in 64 bits; use <see cref="WriteInt128"/>.</exception>
    internal void WriteInt64(Metric metric, in Batch ctx, Scope scope, ref TermBuffer terms);

    /// <summary>As <see cref="WriteInt64"/>, in checked 128-bit arithmetic (values past 2^64).</summary>
    /// <exception cref="OverflowException">A value does not fit in 128 bits.</exception>
    internal void WriteInt128(Metric metric, in Batch ctx, Scope scope, ref TermBuffer terms);
}

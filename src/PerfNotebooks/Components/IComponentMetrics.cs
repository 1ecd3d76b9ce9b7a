using System.Collections.Immutable;
using PerfNotebooks.Execution;

namespace PerfNotebooks.Components;

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

    /// <summary>Appends this component's terms of <paramref name="metric"/> for <paramref name="ctx"/> to <paramref name="terms"/>, in formula order.</summary>
    /// <exception cref="OverflowException">A count does not fit in 128 bits.</exception>
    void Write(Metric metric, in ExecutionContext ctx, Scope scope, ref TermBuffer terms);

    /// <summary>FLOPs of this component for the batch.</summary>
    Breakdown Flops(in ExecutionContext ctx, Scope scope) => Evaluate(Metric.Flops, ctx, scope);

    /// <summary>Bytes this component reads from device memory for the batch.</summary>
    Breakdown ReadBytes(in ExecutionContext ctx, Scope scope) => Evaluate(Metric.ReadBytes, ctx, scope);

    /// <summary>Bytes this component writes to device memory for the batch.</summary>
    Breakdown WriteBytes(in ExecutionContext ctx, Scope scope) => Evaluate(Metric.WriteBytes, ctx, scope);

    /// <summary>One metric of this component for the batch.</summary>
    Breakdown Evaluate(Metric metric, in ExecutionContext ctx, Scope scope)
    {
        var terms = new TermBuffer();
        Write(metric, ctx, scope, ref terms);
        return terms.ToBreakdown();
    }
}

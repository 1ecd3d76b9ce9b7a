using PerfNotebooks.Internal;

namespace PerfNotebooks.Vllm.Components;

/// <summary>Breakdowns of one component, built from its <see cref="IComponentMetrics.WriteInt64"/> formulas.</summary>
public static class ComponentMetricsExtensions
{
    /// <summary>FLOPs of this component for the batch.</summary>
    public static Breakdown Flops(this IComponentMetrics component, in Batch ctx, Scope scope) =>
        component.Evaluate(Metric.Flops, ctx, scope);

    /// <summary>Bytes this component reads from device memory for the batch.</summary>
    public static Breakdown ReadBytes(this IComponentMetrics component, in Batch ctx, Scope scope) =>
        component.Evaluate(Metric.ReadBytes, ctx, scope);

    /// <summary>Bytes this component writes to device memory for the batch.</summary>
    public static Breakdown WriteBytes(this IComponentMetrics component, in Batch ctx, Scope scope) =>
        component.Evaluate(Metric.WriteBytes, ctx, scope);

    /// <summary>One metric of this component for the batch.</summary>
    public static Breakdown Evaluate(this IComponentMetrics component, Metric metric, in Batch ctx, Scope scope)
    {
        ArgumentNullException.ThrowIfNull(component);
        var terms = TermBuffer.Create();
        component.Write(metric, ctx, scope, ref terms);
        return terms.ToBreakdown();
    }

    /// <summary>
    /// Appends the component's terms, exactly: in 64-bit arithmetic when every value fits, else again in 128-bit.
    /// </summary>
    /// <exception cref="OverflowException">A value does not fit in 128 bits.</exception>
    internal static void Write(this IComponentMetrics component, Metric metric, in Batch ctx, Scope scope, ref TermBuffer terms)
    {
        ArgumentNullException.ThrowIfNull(component);
        var (count, total) = (terms.Count, terms.Total);
        try
        {
            component.WriteInt64(metric, ctx, scope, ref terms);
        }
        catch (OverflowException)
        {
            terms.Truncate(count, total);
            component.WriteInt128(metric, ctx, scope, ref terms);
        }
    }
}

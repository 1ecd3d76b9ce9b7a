using PerfNotebooks.Execution;

namespace PerfNotebooks.Components;

/// <summary>Breakdowns of one component, built from its <see cref="IComponentMetrics.Write"/> formulas.</summary>
public static class ComponentMetricsExtensions
{
    /// <summary>FLOPs of this component for the batch.</summary>
    public static Breakdown Flops(this IComponentMetrics component, in ExecutionContext ctx, Scope scope) =>
        component.Evaluate(Metric.Flops, ctx, scope);

    /// <summary>Bytes this component reads from device memory for the batch.</summary>
    public static Breakdown ReadBytes(this IComponentMetrics component, in ExecutionContext ctx, Scope scope) =>
        component.Evaluate(Metric.ReadBytes, ctx, scope);

    /// <summary>Bytes this component writes to device memory for the batch.</summary>
    public static Breakdown WriteBytes(this IComponentMetrics component, in ExecutionContext ctx, Scope scope) =>
        component.Evaluate(Metric.WriteBytes, ctx, scope);

    /// <summary>One metric of this component for the batch.</summary>
    public static Breakdown Evaluate(this IComponentMetrics component, Metric metric, in ExecutionContext ctx, Scope scope)
    {
        ArgumentNullException.ThrowIfNull(component);
        var terms = new TermBuffer();
        component.Write(metric, ctx, scope, ref terms);
        return terms.ToBreakdown();
    }
}

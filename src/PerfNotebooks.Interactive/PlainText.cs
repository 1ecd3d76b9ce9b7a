using System.Globalization;
using PerfNotebooks.Analysis;

namespace PerfNotebooks.Interactive;

/// <summary>One-paragraph plain-text forms of the results, for <c>text/plain</c> outputs and logs.</summary>
public static class PlainText
{
    /// <summary>Any result's plain text.</summary>
    public static string Of(object result) => result switch
    {
        ModelView v => Model(v),
        StepView v => Step(v),
        RooflineReport v => Roofline(v),
        MemoryPlan v => Memory(v),
        SweepView v => Sweep(v),
        HelpView v => v.Text,
        Measured.IMeasuredComparison comparison => Rendering.Tables.MeasuredHeading(comparison),
        _ => result?.ToString() ?? string.Empty,
    };

    /// <summary>A model in one line.</summary>
    public static string Model(ModelView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var s = view.Summary;
        return $"{view.Name}: {Units.Si((double)s.Parameters, "params")} ({Units.Si((double)s.ActiveParameters, "active")}), {s.Layers} layers, {s.Dtype}" +
               (view.Metrics.Skipped.IsEmpty ? string.Empty : "; skipped " + string.Join(", ", view.Metrics.Skipped.Select(k => $"{k.Name} ({k.ReasonName})")));
    }

    /// <summary>A step's totals.</summary>
    public static string Step(StepView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return $"{view.Name}: {Units.Flops(view.Flops.Total)}, read {Units.Bytes(view.ReadBytes.Total)}, write {Units.Bytes(view.WriteBytes.Total)}";
    }

    /// <summary>A roofline's step line.</summary>
    public static string Roofline(RooflineReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return $"{report.Gpu.Name} {report.Dtype.ToString().ToLowerInvariant()}: {report.Step.Bound.ToString().ToLowerInvariant()}-bound, " +
               $"{Units.Significant(report.Step.ArithmeticIntensity)} FLOP/B (ridge {Units.Significant(report.Ridge)}), step {Units.Seconds(report.StepSeconds)}";
    }

    /// <summary>A memory plan's outcome.</summary>
    public static string Memory(MemoryPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.Fits
            ? $"{plan.Gpu.Name}: weights {Units.Bytes(plan.WeightBytes)}, KV cache {Units.Bytes(plan.KvCacheBytes)} = {plan.TokensThatFit.ToString("N0", CultureInfo.InvariantCulture)} tokens"
            : $"{plan.Gpu.Name}: does not fit, {Units.Bytes(plan.ShortfallBytes)} short";
    }

    /// <summary>A sweep's size and best point.</summary>
    public static string Sweep(SweepView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var best = Analysis.Sweep.Best(view.Rows, r => true, r => r.OutputTokensPerSecondPerGpu);
        return $"{view.Rows.Length} points" + (best is { } b ? $"; best {b.Batch}: {Units.Si(b.OutputTokensPerSecondPerGpu, "tok/s")}/GPU" : string.Empty);
    }
}

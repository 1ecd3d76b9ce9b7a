using System.Collections.Immutable;
using PerfNotebooks.Analysis;
using PerfNotebooks.Vllm;

namespace PerfNotebooks.Interactive;

/// <summary>The current model with its summary (what <c>#!perf model</c> returns).</summary>
/// <param name="Name">The model as named.</param>
/// <param name="Summary">Size and shape.</param>
/// <param name="Metrics">The metrics for the current engine settings.</param>
public sealed record ModelView(string Name, ModelSummary Summary, ModelMetrics Metrics);

/// <summary>One step's breakdowns (what <c>#!perf step</c> returns).</summary>
/// <param name="Name">The model.</param>
/// <param name="Metrics">The metrics.</param>
/// <param name="Batch">The step.</param>
/// <param name="Flops">FLOPs by term.</param>
/// <param name="ReadBytes">Bytes read by term.</param>
/// <param name="WriteBytes">Bytes written by term.</param>
/// <param name="Scope">Per GPU or whole model.</param>
public sealed record StepView(string Name, ModelMetrics Metrics, Batch Batch, Breakdown Flops, Breakdown ReadBytes, Breakdown WriteBytes, Scope Scope);

/// <summary>A sweep's rows (what <c>#!perf sweep</c> returns).</summary>
/// <param name="Rows">Every point.</param>
public sealed record SweepView(ImmutableArray<SweepRow> Rows)
{
    /// <summary>The best point by output tokens/s per GPU with TPOT ≤ <paramref name="maxTpotSeconds"/>, or null.</summary>
    public SweepRow? Best(double maxTpotSeconds) =>
        Sweep.Best(Rows, r => r.Batch.DecodeBatch > 0 && r.TimePerOutputTokenSeconds <= maxTpotSeconds, r => r.OutputTokensPerSecondPerGpu);
}

/// <summary>Help text (what <c>#!perf help</c> returns).</summary>
/// <param name="Text">Markdown-ish plain text.</param>
public sealed record HelpView(string Text);

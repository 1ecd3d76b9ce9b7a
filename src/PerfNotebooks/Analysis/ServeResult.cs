using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace PerfNotebooks.Analysis;

/// <summary>The outcome of <see cref="ServingSimulator.Run"/>: expected figures with the roofline bound beside them,
/// the memory plan, how many requests could run at once, and notes on what was capped or left out.</summary>
/// <param name="Request">What was simulated.</param>
/// <param name="Expected">Expected figures (kernel timer plus engine overhead); null when the model does not fit.</param>
/// <param name="Bound">Roofline-bound figures (datasheet peaks, no overhead); null when the model does not fit.</param>
/// <param name="Plan">Memory plan of one GPU at context input + output.</param>
/// <param name="RunningLimit">Requests one replica runs at once: min(requests per replica, max_num_seqs, KV-cache capacity).</param>
/// <param name="Steps">Engine steps simulated.</param>
/// <param name="TimerSource">Which kernel timer gave the expected figures (its type name and GPU).</param>
/// <param name="Notes">Caps, queueing and unmodelled components; empty when nothing needs saying.</param>
public sealed record ServeResult(
    ServeRequest Request,
    ServeFigures? Expected,
    ServeFigures? Bound,
    MemoryPlan Plan,
    long RunningLimit,
    long Steps,
    string TimerSource,
    ImmutableArray<string> Notes)
{
    /// <summary>Whether the weights fit and at least one sequence's KV cache fits.</summary>
    public bool Fits => Expected is not null;

    /// <inheritdoc />
    public override string ToString()
    {
        var r = Request;
        var e = r.Source.Engine;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"{(r.Mode == ServeMode.StaticBatch ? "static batch" : "closed loop, concurrency")} {r.Requests} × ({r.InputTokens} in, {r.OutputTokens} out) on {r.Gpu.Name} TP{e.TensorParallel} PP{e.PipelineParallel} DP{e.DataParallel}{(e.EnableExpertParallel ? " EP" : string.Empty)}\n");
        if (Expected is null || Bound is null)
        {
            text.Append("does not fit\n");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"{"",-22}{"expected",12}{"bound",12}\n");
            void Row(string name, double expected, double bound, Func<double, string> format) =>
                text.Append(CultureInfo.InvariantCulture, $"{name,-22}{format(expected),12}{format(bound),12}\n");
            Row("TTFT", Expected.TimeToFirstTokenSeconds, Bound.TimeToFirstTokenSeconds, Units.Seconds);
            Row("ITL", Expected.InterTokenLatencySeconds, Bound.InterTokenLatencySeconds, Units.Seconds);
            Row("TPOT", Expected.TimePerOutputTokenSeconds, Bound.TimePerOutputTokenSeconds, Units.Seconds);
            Row("end to end", Expected.EndToEndSeconds, Bound.EndToEndSeconds, Units.Seconds);
            Row("tok/s per replica", Expected.OutputTokensPerSecondPerReplica, Bound.OutputTokensPerSecondPerReplica, Units.Significant);
            Row("tok/s per GPU", Expected.OutputTokensPerSecondPerGpu, Bound.OutputTokensPerSecondPerGpu, Units.Significant);
            text.Append(CultureInfo.InvariantCulture, $"running at once {RunningLimit}, {Steps} steps, timer {TimerSource}\n");
        }

        foreach (var note in Notes)
        {
            text.Append("note: ").Append(note).Append('\n');
        }

        return text.ToString();
    }
}

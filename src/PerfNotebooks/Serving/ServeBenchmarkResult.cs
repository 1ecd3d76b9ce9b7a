using System.Collections.Immutable;
using PerfNotebooks.Analysis;
using PerfNotebooks.Physical;

namespace PerfNotebooks.Serving;

/// <summary>
/// The outcome of <see cref="ServeSimulator.Run"/>: vllm bench serve's metrics, expected (kernel timer, engine overhead
/// and API server) beside the roofline bound (the same benchmark with datasheet-peak steps and no overheads), the
/// engine's state over time, every request's timing, the limits it ran under, and notes.
/// </summary>
/// <param name="Benchmark">What was simulated.</param>
/// <param name="Expected">Expected metrics; null when the model does not fit.</param>
/// <param name="Bound">Roofline-bound metrics; null when the model does not fit.</param>
/// <param name="Timeline">The first DP rank's engine state after each of its expected steps (empty when the model does not fit).</param>
/// <param name="Requests">Every request's expected timing on the client's clock.</param>
/// <param name="Limits">The engine's limits after vLLM's defaults.</param>
/// <param name="Plan">Memory plan of one GPU.</param>
/// <param name="Steps">Engine steps simulated on the expected clock, every DP rank's together.</param>
/// <param name="Preemptions">Preemptions on the expected clock, every DP rank's together.</param>
/// <param name="TimerSource">Which kind of kernel timer gave the expected step times: measured tables, fitted curves or the roofline.</param>
/// <param name="Notes">What was capped, queued or left out; empty when nothing needs saying.</param>
public sealed record ServeBenchmarkResult(
    ServeBenchmark Benchmark,
    BenchmarkMetrics? Expected,
    BenchmarkMetrics? Bound,
    ImmutableArray<EngineSample> Timeline,
    ImmutableArray<RequestTiming> Requests,
    EngineLimits Limits,
    MemoryPlan Plan,
    long Steps,
    long Preemptions,
    KernelTimeSource TimerSource,
    ImmutableArray<string> Notes)
{
    /// <summary>Whether the weights fit and at least one request's KV cache fits.</summary>
    public bool Fits => Expected is not null;

    /// <summary>One line: what ran and its headline figures (mean TTFT and TPOT, output throughput), expected and bound.</summary>
    public override string ToString()
    {
        var e = Benchmark.Source.Engine;
        var head = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{Benchmark.Client} on {Benchmark.Gpu.Name} TP{e.TensorParallel} PP{e.PipelineParallel} DP{e.DataParallel}{(e.EnableExpertParallel ? " EP" : string.Empty)}");
        return Expected is { } x && Bound is { } b
            ? head + string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $": mean TTFT {Units.Seconds(x.Ttft.MeanSeconds)} (bound {Units.Seconds(b.Ttft.MeanSeconds)}), mean TPOT {Units.Seconds(x.Tpot.MeanSeconds)} (bound {Units.Seconds(b.Tpot.MeanSeconds)}), {Units.Si(x.OutputThroughput, "tok/s")} out (bound {Units.Si(b.OutputThroughput, "tok/s")})")
            : head + ": does not fit";
    }
}

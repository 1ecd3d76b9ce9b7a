using System.Globalization;

namespace PerfNotebooks.Analysis;

/// <summary>Latency and throughput of a serving simulation, either expected or as the roofline bound.</summary>
/// <param name="TimeToFirstTokenSeconds">Mean time from a request's arrival to its first token, seconds.</param>
/// <param name="InterTokenLatencySeconds">Mean time between two consecutive tokens of one request, seconds.</param>
/// <param name="TimePerOutputTokenSeconds">Mean of (end-to-end − TTFT) ÷ (output − 1) per request, seconds (0 for one output token).</param>
/// <param name="EndToEndSeconds">Mean request latency, arrival to last token, seconds (static batch: the whole batch).</param>
/// <param name="OutputTokensPerSecondPerReplica">Generated tokens per second of one DP replica.</param>
/// <param name="OutputTokensPerSecondPerGpu">Per replica ÷ GPUs in a replica (TP × PP).</param>
public sealed record ServeFigures(
    double TimeToFirstTokenSeconds,
    double InterTokenLatencySeconds,
    double TimePerOutputTokenSeconds,
    double EndToEndSeconds,
    double OutputTokensPerSecondPerReplica,
    double OutputTokensPerSecondPerGpu)
{
    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"TTFT {Units.Seconds(TimeToFirstTokenSeconds)}, ITL {Units.Seconds(InterTokenLatencySeconds)}, TPOT {Units.Seconds(TimePerOutputTokenSeconds)}, e2e {Units.Seconds(EndToEndSeconds)}, {Units.Significant(OutputTokensPerSecondPerReplica)} tok/s per replica, {Units.Significant(OutputTokensPerSecondPerGpu)} tok/s per GPU");
}

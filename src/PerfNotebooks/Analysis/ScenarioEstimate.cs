namespace PerfNotebooks.Analysis;

/// <summary>Latency and throughput of a request scenario on one replica: expected figures, the roofline bound in <see cref="Bound"/>.</summary>
/// <param name="PromptTokens">Prompt length, tokens.</param>
/// <param name="OutputTokens">Tokens generated per request.</param>
/// <param name="Concurrency">Requests running together.</param>
/// <param name="TimeToFirstTokenSeconds">The prefill step of every prompt together.</param>
/// <param name="TimePerOutputTokenSeconds">Mean decode step time as contexts grow from the prompt to prompt + output.</param>
/// <param name="FirstDecodeSeconds">The first decode step.</param>
/// <param name="LastDecodeSeconds">The last decode step (longest context).</param>
/// <param name="OutputTokensPerSecondPerReplica">Concurrency ÷ time per output token.</param>
/// <param name="OutputTokensPerSecondPerGpu">Per replica ÷ GPUs in the replica (TP × PP).</param>
/// <param name="RequestLatencySeconds">TTFT + (output − 1) × TPOT.</param>
public sealed record ScenarioEstimate(
    long PromptTokens,
    long OutputTokens,
    long Concurrency,
    double TimeToFirstTokenSeconds,
    double TimePerOutputTokenSeconds,
    double FirstDecodeSeconds,
    double LastDecodeSeconds,
    double OutputTokensPerSecondPerReplica,
    double OutputTokensPerSecondPerGpu,
    double RequestLatencySeconds)
{
    /// <summary>The same figures at the roofline bound (datasheet peaks, no engine overhead); null when not computed.</summary>
    public ScenarioEstimate? Bound { get; init; }

    /// <summary>A readable summary: TTFT, TPOT and throughput per replica and per GPU.</summary>
    public override string ToString() => FormattableString.Invariant(
        $"{Concurrency:N0} × ({PromptTokens:N0} prompt + {OutputTokens:N0} output tokens): TTFT {Units.Seconds(TimeToFirstTokenSeconds)}, TPOT {Units.Seconds(TimePerOutputTokenSeconds)}, ") +
        $"{Units.Si(OutputTokensPerSecondPerReplica, "tok/s")} per replica, {Units.Si(OutputTokensPerSecondPerGpu, "tok/s")} per GPU, latency {Units.Seconds(RequestLatencySeconds)}";
}

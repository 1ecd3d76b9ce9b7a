namespace PerfNotebooks.Serving;

/// <summary>One request's life on the client's clock, seconds from the benchmark's start.</summary>
/// <param name="Index">Order in which the client created it (warm-up requests first).</param>
/// <param name="InputTokens">Prompt tokens.</param>
/// <param name="OutputTokens">Generated tokens.</param>
/// <param name="Measured">Whether the statistics include it (false for warm-up).</param>
/// <param name="ArrivalSeconds">When the client scheduled it (vllm bench serve's arrival, before waiting for a concurrency slot).</param>
/// <param name="SentSeconds">When the client sent it (serve.py's <c>start_time</c>).</param>
/// <param name="EngineArrivalSeconds">When the engine received it (after the API server's handling and tokenization).</param>
/// <param name="FirstTokenSeconds">When its first token reached the client.</param>
/// <param name="FinishSeconds">When its last token reached the client.</param>
/// <param name="Preemptions">Times it was preempted (recomputed).</param>
public readonly record struct RequestTiming(
    int Index,
    long InputTokens,
    long OutputTokens,
    bool Measured,
    double ArrivalSeconds,
    double SentSeconds,
    double EngineArrivalSeconds,
    double FirstTokenSeconds,
    double FinishSeconds,
    int Preemptions)
{
    /// <summary>Time to first token, seconds.</summary>
    public double TtftSeconds => FirstTokenSeconds - SentSeconds;

    /// <summary>End-to-end latency, seconds.</summary>
    public double E2elSeconds => FinishSeconds - SentSeconds;

    /// <summary>Time per output token after the first, seconds (0 for one output token, as serve.py counts it for goodput).</summary>
    public double TpotSeconds => OutputTokens > 1 ? (FinishSeconds - FirstTokenSeconds) / (OutputTokens - 1) : 0;
}

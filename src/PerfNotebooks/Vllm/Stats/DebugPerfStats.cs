namespace PerfNotebooks.Vllm.Stats;

/// <summary>The debug detail of one step's stats (vLLM's <c>DebugPerfStats</c>): request counts, batch and breakdowns.</summary>
/// <param name="CalcDurationSeconds">Wall-clock seconds spent computing the stats.</param>
/// <param name="PrefillRequests">Prefill requests in the step.</param>
/// <param name="DecodeRequests">Decode requests in the step.</param>
/// <param name="Context">The aggregated batch.</param>
/// <param name="Flops">FLOPs per GPU by term.</param>
/// <param name="ReadBytes">Bytes read per GPU by term.</param>
/// <param name="WriteBytes">Bytes written per GPU by term.</param>
public sealed record DebugPerfStats(
    double CalcDurationSeconds,
    long PrefillRequests,
    long DecodeRequests,
    Batch Context,
    Breakdown Flops,
    Breakdown ReadBytes,
    Breakdown WriteBytes);

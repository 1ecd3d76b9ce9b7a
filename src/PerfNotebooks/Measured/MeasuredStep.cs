namespace PerfNotebooks.Measured;

/// <summary>
/// One engine step as vLLM's <c>--enable-logging-iteration-details</c> logs it: the batch's prefill ("context") and
/// decode ("generation") requests and tokens and the step's elapsed time.
/// </summary>
/// <param name="Iteration">The engine's iteration index (counts from 0 per engine).</param>
/// <param name="Engine">The engine (DP rank) that ran it: <c>0</c>, <c>1</c>, …</param>
/// <param name="PrefillRequests">Requests in their prefill (context) phase.</param>
/// <param name="PrefillTokens">Tokens scheduled for them.</param>
/// <param name="DecodeRequests">Requests generating.</param>
/// <param name="DecodeTokens">Tokens scheduled for them (more than the requests with speculative decoding).</param>
/// <param name="ElapsedMilliseconds">The iteration's elapsed time as logged, milliseconds.</param>
/// <param name="KvCacheUsagePercent">KV-cache usage after the step, per cent (later vLLM versions only).</param>
/// <param name="IsDummy">A data-parallel dummy step (no requests on this rank).</param>
/// <param name="Line">Line number in the log (1-based).</param>
public sealed record MeasuredStep(
    long Iteration,
    string Engine,
    long PrefillRequests,
    long PrefillTokens,
    long DecodeRequests,
    long DecodeTokens,
    double ElapsedMilliseconds,
    double? KvCacheUsagePercent = null,
    bool IsDummy = false,
    long Line = 0)
{
    /// <summary>The step's batch for the models: each prefill request's tokens attend to themselves (no cached prefix),
    /// each decode attends to <paramref name="decodeContextLength"/> tokens.</summary>
    public Batch ToBatch(long decodeContextLength)
    {
        var batch = Batch.Empty;
        if (PrefillRequests > 0 && PrefillTokens > 0)
        {
            var each = PrefillTokens / PrefillRequests;
            var rest = PrefillTokens - (each * PrefillRequests);
            if (each > 0)
            {
                batch = batch.WithPrefills(PrefillRequests - rest, each);
            }

            if (rest > 0)
            {
                batch = batch.WithPrefills(rest, each + 1);
            }
        }

        if (DecodeRequests > 0)
        {
            var tokensEach = Math.Max(1, DecodeTokens / DecodeRequests);
            batch = batch.WithDecodes(DecodeRequests, Math.Max(tokensEach, decodeContextLength), tokensEach);
        }

        return batch;
    }
}

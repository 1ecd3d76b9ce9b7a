using System.Globalization;

namespace PerfNotebooks;

/// <summary>
/// A batch of requests aggregated by phase: counts, token sums, context sums and the sum of tokens × context per
/// phase. Immutable; <see cref="WithPrefill"/> and <see cref="WithDecodes"/> return a new batch.
/// </summary>
/// <remarks>This is vLLM's <c>ExecutionContext</c> (<c>vllm/v1/metrics/perf.py</c>), renamed so that it does not
/// collide with <c>System.Threading.ExecutionContext</c> under the SDK's implicit usings.</remarks>
/// <remarks>Sums are kept per phase; the requests themselves are kept too (vLLM 2026-09's <c>requests</c>, needed to
/// clamp contexts to a sliding window) as runs of identical requests, so adding a request costs one small allocation
/// and <see cref="AddMany"/> one whatever the count.</remarks>
public readonly record struct Batch
{
    private BatchRequestRun? Runs { get; init; }

    /// <summary>Number of prefill requests.</summary>
    public long PrefillRequests { get; init; }

    /// <summary>Sum of scheduled tokens over prefill requests.</summary>
    public long PrefillTokens { get; init; }

    /// <summary>Sum of context lengths (tokens) over prefill requests.</summary>
    public long PrefillContextLength { get; init; }

    /// <summary>Sum of tokens × context length over prefill requests.</summary>
    public Int128 PrefillTokenContextProduct { get; init; }

    /// <summary>Number of decode requests.</summary>
    public long DecodeRequests { get; init; }

    /// <summary>Sum of scheduled tokens over decode requests.</summary>
    public long DecodeTokens { get; init; }

    /// <summary>Sum of context lengths (tokens) over decode requests.</summary>
    public long DecodeContextLength { get; init; }

    /// <summary>Sum of tokens × context length over decode requests.</summary>
    public Int128 DecodeTokenContextProduct { get; init; }

    /// <summary>An empty batch.</summary>
    public static Batch Empty => default;

    /// <summary>One prefill request of <paramref name="tokens"/> tokens whose context ends at <paramref name="contextLength"/> (defaults to the tokens: a fresh prompt).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative.</exception>
    public static Batch Prefill(long tokens, long? contextLength = null) =>
        Empty.Add(tokens, contextLength ?? tokens, isPrefill: true);

    /// <summary>One decode request producing one token with <paramref name="contextLength"/> tokens of context.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The context length is negative.</exception>
    public static Batch Decode(long contextLength) => Empty.Add(1, contextLength, isPrefill: false);

    /// <summary>Returns this context with one more request, as vLLM's <c>ExecutionContext.add</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative.</exception>
    public Batch Add(long tokens, long contextLength, bool isPrefill)
    {
        Guard.NonNegative(tokens);
        Guard.NonNegative(contextLength);
        Int128 product = checked((Int128)tokens * contextLength);
        var runs = BatchRequestRun.Append(Runs, 1, tokens, contextLength, isPrefill);
        return isPrefill
            ? this with
            {
                Runs = runs,
                PrefillRequests = checked(PrefillRequests + 1),
                PrefillTokens = checked(PrefillTokens + tokens),
                PrefillContextLength = checked(PrefillContextLength + contextLength),
                PrefillTokenContextProduct = checked(PrefillTokenContextProduct + product),
            }
            : this with
            {
                Runs = runs,
                DecodeRequests = checked(DecodeRequests + 1),
                DecodeTokens = checked(DecodeTokens + tokens),
                DecodeContextLength = checked(DecodeContextLength + contextLength),
                DecodeTokenContextProduct = checked(DecodeTokenContextProduct + product),
            };
    }

    /// <summary>Returns this context with <paramref name="count"/> identical requests added.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative.</exception>
    public Batch AddMany(long count, long tokens, long contextLength, bool isPrefill)
    {
        Guard.NonNegative(count);
        Guard.NonNegative(tokens);
        Guard.NonNegative(contextLength);
        if (count == 0)
        {
            return this;
        }

        Int128 product = checked((Int128)tokens * contextLength * count);
        long tokenSum = checked(tokens * count);
        long contextSum = checked(contextLength * count);
        var runs = BatchRequestRun.Append(Runs, count, tokens, contextLength, isPrefill);
        return isPrefill
            ? this with
            {
                Runs = runs,
                PrefillRequests = checked(PrefillRequests + count),
                PrefillTokens = checked(PrefillTokens + tokenSum),
                PrefillContextLength = checked(PrefillContextLength + contextSum),
                PrefillTokenContextProduct = checked(PrefillTokenContextProduct + product),
            }
            : this with
            {
                Runs = runs,
                DecodeRequests = checked(DecodeRequests + count),
                DecodeTokens = checked(DecodeTokens + tokenSum),
                DecodeContextLength = checked(DecodeContextLength + contextSum),
                DecodeTokenContextProduct = checked(DecodeTokenContextProduct + product),
            };
    }

    /// <summary>Returns this batch with one more prefill request of <paramref name="tokens"/> tokens whose context ends
    /// at <paramref name="contextLength"/> (defaults to the tokens: a fresh prompt).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative.</exception>
    public Batch WithPrefill(long tokens, long? contextLength = null) => Add(tokens, contextLength ?? tokens, isPrefill: true);

    /// <summary>Returns this batch with <paramref name="count"/> identical prefill requests.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative.</exception>
    public Batch WithPrefills(long count, long tokens, long? contextLength = null) =>
        AddMany(count, tokens, contextLength ?? tokens, isPrefill: true);

    /// <summary>Returns this batch with <paramref name="count"/> decode requests at <paramref name="contextLength"/>
    /// tokens of context, each scheduling <paramref name="tokensEach"/> tokens (1, or more for speculative decoding).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative.</exception>
    public Batch WithDecodes(long count, long contextLength, long tokensEach = 1) =>
        AddMany(count, tokensEach, contextLength, isPrefill: false);

    /// <summary>A batch of <paramref name="count"/> decode requests at <paramref name="contextLength"/> tokens of context.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative.</exception>
    public static Batch Decodes(long count, long contextLength) => Empty.WithDecodes(count, contextLength);

    /// <summary>Tokens in the batch, both phases.</summary>
    public long TotalTokens => checked(PrefillTokens + DecodeTokens);

    /// <summary>Sum of tokens × context length over every request.</summary>
    public Int128 TotalTokenContextProduct => checked(PrefillTokenContextProduct + DecodeTokenContextProduct);

    /// <summary>Requests in the batch, both phases.</summary>
    public long TotalRequests => checked(PrefillRequests + DecodeRequests);

    /// <summary>Tokens that produce logits (vLLM 2026-09's <c>num_logits_tokens</c>): one per prefill request, every decode token.</summary>
    public long LogitsTokens => checked(PrefillRequests + DecodeTokens);

    /// <summary>Whether every request of the batch is recorded (true for batches built with the builders; false for one
    /// set up from sums alone), so <see cref="Requests"/> and the windowed sums are available.</summary>
    public bool HasRequests => (Runs?.TotalCount ?? 0) == TotalRequests;

    /// <summary>Every request in the order added (vLLM 2026-09's <c>ExecutionContext.requests</c>).</summary>
    /// <exception cref="InvalidOperationException">The batch was set up from sums alone (<see cref="HasRequests"/> is false).</exception>
    public IReadOnlyList<BatchRequest> Requests
    {
        get
        {
            RequireRequests();
            var list = new List<BatchRequest>();
            for (var run = Runs; run is not null; run = run.Previous)
            {
                for (long i = 0; i < run.Count; i++)
                {
                    list.Add(new BatchRequest(run.Tokens, run.ContextLength, run.IsPrefill));
                }
            }

            list.Reverse();
            return list;
        }
    }

    /// <summary>Sum of tokens × min(context, <paramref name="window"/>) over every request (vLLM 2026-09's
    /// <c>total_token_context_product(sliding_window)</c>).</summary>
    /// <exception cref="InvalidOperationException">The batch was set up from sums alone.</exception>
    public Int128 WindowedTokenContextProduct(long window)
    {
        RequireRequests();
        Int128 sum = 0;
        for (var run = Runs; run is not null; run = run.Previous)
        {
            sum = checked(sum + ((Int128)run.Tokens * Math.Min(run.ContextLength, window) * run.Count));
        }

        return sum;
    }

    /// <summary>Sum of min(context, <paramref name="window"/>) over the requests of one phase (vLLM 2026-09's
    /// <c>prefill_context_len_for_window</c> / <c>decode_context_len_for_window</c>).</summary>
    /// <exception cref="InvalidOperationException">The batch was set up from sums alone.</exception>
    public long WindowedContextLength(long window, bool prefill)
    {
        RequireRequests();
        long sum = 0;
        for (var run = Runs; run is not null; run = run.Previous)
        {
            if (run.IsPrefill == prefill)
            {
                sum = checked(sum + (Math.Min(run.ContextLength, window) * run.Count));
            }
        }

        return sum;
    }

    private void RequireRequests()
    {
        if (!HasRequests)
        {
            throw new InvalidOperationException(
                "this batch was set up from sums alone, without its requests; build it with Add, WithPrefill or WithDecodes to clamp contexts to a sliding window or list its requests");
        }
    }

    /// <summary>
    /// One line describing the batch: <c>1 prefill of 2,048 tokens + 32 decode at 8,192 context</c>. Context lengths
    /// are per request (a mean, said so, when the requests differ).
    /// </summary>
    public override string ToString()
    {
        var parts = new List<string>(2);
        if (PrefillRequests > 0)
        {
            var n = PrefillRequests;
            var tokens = PrefillTokens % n == 0
                ? string.Create(CultureInfo.InvariantCulture, $"{PrefillTokens / n:N0} tokens")
                : string.Create(CultureInfo.InvariantCulture, $"{(double)PrefillTokens / n:N0} tokens (mean)");
            var context = PrefillContextLength == PrefillTokens ? string.Empty : " at " + Mean(PrefillContextLength, n) + " context";
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{n:N0} prefill of {tokens}{context}"));
        }

        if (DecodeRequests > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{DecodeRequests:N0} decode at {Mean(DecodeContextLength, DecodeRequests)} context"));
        }

        return parts.Count == 0 ? "empty batch" : string.Join(" + ", parts);
    }

    private static string Mean(long total, long count) => total % count == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{total / count:N0}")
        : string.Create(CultureInfo.InvariantCulture, $"{(double)total / count:N0} mean");
}

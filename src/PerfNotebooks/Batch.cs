namespace PerfNotebooks;

/// <summary>
/// A batch of requests aggregated by phase: counts, token sums, context sums and the sum of tokens × context per
/// phase. Immutable; <see cref="WithPrefill"/> and <see cref="WithDecodes"/> return a new batch.
/// </summary>
/// <remarks>This is vLLM's <c>ExecutionContext</c> (<c>vllm/v1/metrics/perf.py</c>), renamed so that it does not
/// collide with <c>System.Threading.ExecutionContext</c> under the SDK's implicit usings.</remarks>
/// <remarks>Aggregation needs constant memory whatever the batch size, so a step of any size allocates nothing.</remarks>
public readonly record struct Batch
{
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
        return isPrefill
            ? this with
            {
                PrefillRequests = checked(PrefillRequests + 1),
                PrefillTokens = checked(PrefillTokens + tokens),
                PrefillContextLength = checked(PrefillContextLength + contextLength),
                PrefillTokenContextProduct = checked(PrefillTokenContextProduct + product),
            }
            : this with
            {
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
        return isPrefill
            ? this with
            {
                PrefillRequests = checked(PrefillRequests + count),
                PrefillTokens = checked(PrefillTokens + tokenSum),
                PrefillContextLength = checked(PrefillContextLength + contextSum),
                PrefillTokenContextProduct = checked(PrefillTokenContextProduct + product),
            }
            : this with
            {
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
}

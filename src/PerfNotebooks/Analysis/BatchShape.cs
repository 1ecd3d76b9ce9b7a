namespace PerfNotebooks.Analysis;

/// <summary>
/// One batch shape of a sweep: <see cref="DecodeBatch"/> decodes at <see cref="DecodeContext"/> tokens of context plus
/// <see cref="PrefillRequests"/> prefills (or prefill chunks) of <see cref="PrefillTokens"/> tokens whose context ends
/// at <see cref="PrefillContext"/>.
/// </summary>
public readonly record struct BatchShape(long DecodeBatch, long DecodeContext, long PrefillRequests, long PrefillTokens, long PrefillContext)
{
    /// <summary>A decode-only batch.</summary>
    public static BatchShape Decode(long batch, long context) => new(batch, context, 0, 0, 0);

    /// <summary>A prefill-only batch: <paramref name="requests"/> prompts of <paramref name="tokens"/> tokens (a chunk ending at <paramref name="context"/> when given).</summary>
    public static BatchShape Prefill(long tokens, long requests = 1, long? context = null) => new(0, 0, requests, tokens, context ?? tokens);

    /// <summary>Every combination of decode batch sizes and context lengths.</summary>
    public static IEnumerable<BatchShape> DecodeGrid(IEnumerable<long> batches, IEnumerable<long> contexts)
    {
        var contextList = contexts.ToList();
        return batches.SelectMany(b => contextList.Select(c => Decode(b, c)));
    }

    /// <summary>The execution context this shape runs.</summary>
    public Batch ToContext() =>
        Batch.Empty.AddMany(PrefillRequests, PrefillTokens, PrefillContext, true).AddMany(DecodeBatch, 1, DecodeContext, false);

    /// <summary>Tokens scheduled in the step.</summary>
    public long Tokens => checked((PrefillRequests * PrefillTokens) + DecodeBatch);

    /// <summary>KV-cache tokens the batch holds at the end of the step.</summary>
    public long KvTokens => checked((PrefillRequests * PrefillContext) + (DecodeBatch * DecodeContext));

    /// <inheritdoc />
    public override string ToString()
    {
        var decode = FormattableString.Invariant($"decode {DecodeBatch}x{DecodeContext}");
        var prefill = FormattableString.Invariant($"prefill {PrefillRequests}x{PrefillTokens}:{PrefillContext}");
        return PrefillRequests == 0 ? decode : DecodeBatch == 0 ? prefill : prefill + " + " + decode;
    }
}

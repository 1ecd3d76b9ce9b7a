namespace PerfNotebooks.Requests;

/// <summary>
/// A group of identical requests written as text: prefill <c>TOKENS[:CONTEXT][xCOUNT]</c> (context defaults to the
/// tokens) or decode <c>CONTEXT[xCOUNT]</c> (one token each). <c>2048</c>, <c>512:4096</c>, <c>8192x64</c>.
/// </summary>
/// <param name="IsPrefill">Prefill or decode.</param>
/// <param name="Tokens">Tokens scheduled per request.</param>
/// <param name="ContextLength">Context length per request, in tokens, including the scheduled ones.</param>
/// <param name="Count">Number of identical requests.</param>
public readonly record struct RequestSpec(bool IsPrefill, long Tokens, long ContextLength, long Count)
{
    /// <summary>Parses a prefill spec <c>TOKENS[:CONTEXT][xCOUNT]</c>.</summary>
    public static bool TryParsePrefill(string text, out RequestSpec spec, out string error)
    {
        spec = default;
        if (!SplitCount(text, out var body, out var count, out error))
        {
            return false;
        }

        var parts = body.Split(':');
        if (parts.Length > 2 || !TryPositive(parts[0], "TOKENS", out var tokens, out error))
        {
            error = parts.Length > 2 ? $"'{text}' has more than one ':'; expected TOKENS[:CONTEXT][xCOUNT], e.g. 2048 or 512:4096x8" : error;
            return false;
        }

        var context = tokens;
        if (parts.Length == 2)
        {
            if (!TryPositive(parts[1], "CONTEXT", out context, out error))
            {
                return false;
            }

            if (context < tokens)
            {
                error = $"context {context} is shorter than the {tokens} tokens it includes";
                return false;
            }
        }

        spec = new RequestSpec(true, tokens, context, count);
        return true;
    }

    /// <summary>Parses a decode spec <c>CONTEXT[xCOUNT]</c>.</summary>
    public static bool TryParseDecode(string text, out RequestSpec spec, out string error)
    {
        spec = default;
        if (!SplitCount(text, out var body, out var count, out error) || !TryPositive(body, "CONTEXT", out var context, out error))
        {
            return false;
        }

        spec = new RequestSpec(false, 1, context, count);
        return true;
    }

    /// <summary>The step reports and notebooks show when none is given (<see cref="BatchSpec.Default"/>).</summary>
    public static Batch DefaultStep => BatchSpec.Default.ToBatch();

    /// <summary>
    /// Parses prefill and decode specs (each may hold comma-separated specs) into one batch; the error names the
    /// option (<c>--prefill</c>, <c>--decode</c>) and what is accepted.
    /// </summary>
    public static bool TryParseBatch(IEnumerable<string> prefills, IEnumerable<string> decodes, out Batch batch, out string error)
    {
        var ok = BatchSpec.TryParse(prefills, decodes, out var spec, out error);
        batch = ok ? spec.ToBatch() : Batch.Empty;
        return ok;
    }

    /// <summary>Returns <paramref name="ctx"/> with these requests added.</summary>
    public Batch AddTo(Batch ctx) => ctx.AddMany(Count, Tokens, ContextLength, IsPrefill);

    /// <inheritdoc />
    public override string ToString() => IsPrefill
        ? $"{Tokens}:{ContextLength}x{Count}"
        : $"{ContextLength}x{Count}";

    private static bool SplitCount(string text, out string body, out long count, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        body = text.Trim();
        count = 1;
        error = string.Empty;
        var x = body.IndexOfAny(['x', 'X']);
        if (x < 0)
        {
            return true;
        }

        if (!TryPositive(body[(x + 1)..], "COUNT", out count, out error))
        {
            return false;
        }

        body = body[..x];
        return true;
    }

    private static bool TryPositive(string text, string what, out long value, out string error)
    {
        var ok = Quantity.TryParse(text, out value, out error);
        error = ok ? error : what + " " + error;
        return ok;
    }
}

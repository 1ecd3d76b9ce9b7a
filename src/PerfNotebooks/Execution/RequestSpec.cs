using System.Globalization;

namespace PerfNotebooks.Execution;

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

    /// <summary>The step reports and notebooks show when none is given: one 2,048-token prefill and 32 decodes at 8,192 tokens of context.</summary>
    public static Batch DefaultStep => Batch.Prefill(2048).WithDecodes(32, 8192);

    /// <summary>
    /// Parses prefill and decode specs (each may hold comma-separated specs) into one batch; the error names the
    /// option (<c>--prefill</c>, <c>--decode</c>) and what is accepted.
    /// </summary>
    public static bool TryParseBatch(IEnumerable<string> prefills, IEnumerable<string> decodes, out Batch batch, out string error)
    {
        ArgumentNullException.ThrowIfNull(prefills);
        ArgumentNullException.ThrowIfNull(decodes);
        batch = Batch.Empty;
        error = string.Empty;
        foreach (var (option, texts, prefill) in new[] { ("--prefill", prefills, true), ("--decode", decodes, false) })
        {
            foreach (var text in texts.SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            {
                var ok = prefill ? TryParsePrefill(text, out var spec, out var reason) : TryParseDecode(text, out spec, out reason);
                if (!ok)
                {
                    error = $"{option} {reason}";
                    return false;
                }

                try
                {
                    batch = spec.AddTo(batch);
                }
                catch (OverflowException)
                {
                    error = $"{option} '{text}' makes the batch's token count (or tokens × context) pass 2^63; use fewer or shorter requests";
                    return false;
                }
            }
        }

        return true;
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
        error = string.Empty;
        var cleaned = text.Replace("_", string.Empty, StringComparison.Ordinal);
        var multiplier = 1L;
        if (cleaned.EndsWith('k') || cleaned.EndsWith('K'))
        {
            multiplier = 1024;
            cleaned = cleaned[..^1];
        }
        else if (cleaned.EndsWith('M'))
        {
            multiplier = 1024 * 1024;
            cleaned = cleaned[..^1];
        }

        if (long.TryParse(cleaned, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0 &&
            value <= long.MaxValue / multiplier)
        {
            value *= multiplier;
            return true;
        }

        error = $"{what} must be a positive whole number (suffix k = ×1024, M = ×1048576 allowed), not '{text}'";
        return false;
    }
}

using System.Collections.Immutable;

namespace PerfNotebooks.Requests;

/// <summary>
/// The requests of one step as the user wrote them: prefill groups <c>TOKENS[:CONTEXT][xCOUNT]</c> and decode groups
/// <c>CONTEXT[xCOUNT]</c>, parsed once for the CLI, <c>#!perf</c> and the report.
/// </summary>
public sealed record BatchSpec
{
    /// <summary>The request groups, prefills first, in the order given.</summary>
    public ImmutableArray<RequestSpec> Requests { get; init; } = [];

    /// <summary>
    /// The step every command and notebook uses when none is given: one 2,048-token prefill and 32 decodes at 8,192
    /// tokens of context.
    /// </summary>
    public static BatchSpec Default { get; } = new()
    {
        Requests = [new RequestSpec(true, 2048, 2048, 1), new RequestSpec(false, 1, 8192, 32)],
    };

    /// <summary>A spec with no request.</summary>
    public static BatchSpec Empty { get; } = new();

    /// <summary>Whether no request was given.</summary>
    public bool IsEmpty => Requests.IsDefaultOrEmpty;

    /// <summary>This spec, or <see cref="Default"/> when it is empty.</summary>
    public BatchSpec OrDefault() => IsEmpty ? Default : this;

    /// <summary>
    /// Parses prefill and decode specs (each text may hold several, comma-separated); the error names the option
    /// (<c>--prefill</c>, <c>--decode</c>) and what is accepted.
    /// </summary>
    public static bool TryParse(IEnumerable<string> prefills, IEnumerable<string> decodes, out BatchSpec spec, out string error)
    {
        ArgumentNullException.ThrowIfNull(prefills);
        ArgumentNullException.ThrowIfNull(decodes);
        spec = Empty;
        error = string.Empty;
        var requests = ImmutableArray.CreateBuilder<RequestSpec>();
        foreach (var (option, texts, prefill) in new[] { ("--prefill", prefills, true), ("--decode", decodes, false) })
        {
            foreach (var text in texts.SelectMany(Quantity.Split))
            {
                var ok = prefill ? RequestSpec.TryParsePrefill(text, out var request, out var reason) : RequestSpec.TryParseDecode(text, out request, out reason);
                if (!ok)
                {
                    error = $"{option} {reason}";
                    return false;
                }

                requests.Add(request);
            }
        }

        var parsed = new BatchSpec { Requests = requests.ToImmutable() };
        try
        {
            _ = parsed.ToBatch();
        }
        catch (OverflowException)
        {
            error = "--prefill/--decode: the requests make the batch's token count (or tokens × context) pass 2^63; use fewer or shorter requests";
            return false;
        }

        spec = parsed;
        return true;
    }

    /// <summary>The batch these requests make.</summary>
    /// <exception cref="OverflowException">The totals pass <see cref="long.MaxValue"/> tokens.</exception>
    public Batch ToBatch()
    {
        var batch = Batch.Empty;
        foreach (var request in Requests.IsDefault ? [] : Requests)
        {
            batch = request.AddTo(batch);
        }

        return batch;
    }

    /// <summary>The specs as the user would type them: <c>--prefill 2048 --decode 8192x32</c>.</summary>
    public override string ToString() => IsEmpty
        ? "(no requests)"
        : string.Join(' ', Requests.Select(Text));

    /// <inheritdoc />
    public bool Equals(BatchSpec? other) =>
        other is not null && (IsEmpty ? other.IsEmpty : !other.IsEmpty && Requests.SequenceEqual(other.Requests));

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var request in Requests.IsDefault ? [] : Requests)
        {
            hash.Add(request);
        }

        return hash.ToHashCode();
    }

    private static string Text(RequestSpec r)
    {
        var count = r.Count != 1 ? FormattableString.Invariant($"x{r.Count}") : string.Empty;
        return r.IsPrefill
            ? FormattableString.Invariant($"--prefill {r.Tokens}{(r.ContextLength != r.Tokens ? FormattableString.Invariant($":{r.ContextLength}") : string.Empty)}{count}")
            : FormattableString.Invariant($"--decode {r.ContextLength}{count}");
    }

}

using System.Globalization;

namespace PerfNotebooks.Serving;

/// <summary>
/// vllm bench serve's <c>--goodput ttft:MS tpot:MS e2el:MS</c>: a request is good when each given metric is at most
/// its target (vllm/benchmarks/serve.py <c>calculate_metrics</c>: <c>s &gt;= r</c> for every SLO); request goodput is
/// good requests ÷ benchmark duration.
/// </summary>
public sealed record GoodputSlo
{
    /// <summary>Time-to-first-token target, seconds; null when not given.</summary>
    public double? TtftSeconds { get; init; }

    /// <summary>Time-per-output-token target, seconds (a request of one output token has TPOT 0); null when not given.</summary>
    public double? TpotSeconds { get; init; }

    /// <summary>End-to-end latency target, seconds; null when not given.</summary>
    public double? E2elSeconds { get; init; }

    /// <summary>Whether a request with these figures meets every given target.</summary>
    public bool Meets(double ttftSeconds, double tpotSeconds, double e2elSeconds) =>
        (TtftSeconds is not { } t || ttftSeconds <= t) && (TpotSeconds is not { } p || tpotSeconds <= p) && (E2elSeconds is not { } e || e2elSeconds <= e);

    /// <summary>Parses vllm bench serve's form: space- or comma-separated <c>KEY:MS</c> pairs, keys ttft, tpot, e2el.</summary>
    public static bool TryParse(string? text, out GoodputSlo value, out string error)
    {
        value = new GoodputSlo();
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "needs KEY:MS pairs (ttft, tpot, e2el), e.g. 'ttft:500 tpot:50'";
            return false;
        }

        foreach (var pair in text.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split(':');
            if (parts.Length != 2 || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) || ms < 0 || !double.IsFinite(ms))
            {
                error = $"'{pair}' is not KEY:MS with a non-negative number of milliseconds";
                return false;
            }

            var seconds = ms / 1e3;
            switch (parts[0].Trim().ToLowerInvariant())
            {
                case "ttft": value = value with { TtftSeconds = seconds }; break;
                case "tpot": value = value with { TpotSeconds = seconds }; break;
                case "e2el": value = value with { E2elSeconds = seconds }; break;
                default:
                    error = $"metric '{parts[0]}' is not one of ttft, tpot, e2el";
                    return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override string ToString() => string.Join(' ', new[]
    {
        TtftSeconds is { } t ? FormattableString.Invariant($"ttft:{t * 1e3:0.###}") : null,
        TpotSeconds is { } p ? FormattableString.Invariant($"tpot:{p * 1e3:0.###}") : null,
        E2elSeconds is { } e ? FormattableString.Invariant($"e2el:{e * 1e3:0.###}") : null,
    }.Where(s => s is not null));
}

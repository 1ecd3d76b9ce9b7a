using System.Collections.Immutable;

namespace PerfNotebooks.Measured;

/// <summary>One sample line of a Prometheus text exposition: metric name, labels (in the order written) and value.</summary>
/// <param name="Name">The sample's name (<c>vllm:time_to_first_token_seconds_bucket</c>).</param>
/// <param name="Labels">Its labels, as written.</param>
/// <param name="Value">Its value.</param>
public sealed record PrometheusSample(string Name, ImmutableArray<KeyValuePair<string, string>> Labels, double Value)
{
    /// <summary>The value of label <paramref name="name"/>, or null.</summary>
    public string? Label(string name)
    {
        foreach (var (key, value) in Labels)
        {
            if (key == name)
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>The labels other than <c>le</c> and <c>quantile</c>, as <c>{k="v",…}</c> sorted by key: the series a bucket belongs to.</summary>
    public string SeriesLabels => "{" + string.Join(",", Labels.Where(l => l.Key is not ("le" or "quantile")).OrderBy(l => l.Key, StringComparer.Ordinal)
        .Select(l => $"{l.Key}=\"{l.Value}\"")) + "}";
}

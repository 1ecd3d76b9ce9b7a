using System.Collections.Immutable;
using PerfNotebooks.Vllm.Stats;
namespace PerfNotebooks.Measured;

/// <summary>
/// What one or two scrapes of vLLM's <c>/metrics</c> measured: with two, counter rates and histogram statistics over
/// the interval between them; with one, since the server started (rates need the interval). Figures are per series
/// (each engine's labels kept); metrics this reader does not know are listed once each in <see cref="Skipped"/>.
/// </summary>
/// <remarks>
/// Metric names from <c>PrometheusStatLogger</c> (<c>vllm/v1/metrics/loggers.py</c>, V1 engine) and
/// <c>PerfMetricsProm</c> (<c>vllm/v1/metrics/perf.py</c>). Percentiles come from histogram buckets as Prometheus's
/// <c>histogram_quantile</c> computes them: linear interpolation inside the bucket that holds the rank, the lower edge
/// of the first bucket taken as 0, and the highest finite edge when the rank falls in the <c>+Inf</c> bucket.
/// </remarks>
public sealed class MetricsWindow
{
    /// <summary>Histograms read, by metric family, with the figure stem they are reported under (bench serve's names).</summary>
    public static ImmutableArray<(string Family, string Stem, double Scale)> Histograms { get; } =
    [
        ("vllm:time_to_first_token_seconds", "ttft_ms", 1e3),
        ("vllm:inter_token_latency_seconds", "itl_ms", 1e3),
        ("vllm:time_per_output_token_seconds", "tpot_ms", 1e3),
        ("vllm:request_time_per_output_token_seconds", "tpot_ms", 1e3),
        ("vllm:e2e_request_latency_seconds", "e2el_ms", 1e3),
        ("vllm:request_prefill_time_seconds", "prefill_ms", 1e3),
        ("vllm:request_decode_time_seconds", "decode_ms", 1e3),
        ("vllm:request_queue_time_seconds", "queue_ms", 1e3),
        ("vllm:iteration_tokens_total", "tokens_per_step", 1),
        ("vllm:request_prompt_tokens", "prompt_tokens", 1),
        ("vllm:request_generation_tokens", "generation_tokens", 1),
    ];

    /// <summary>Counters read, with the rate figure each becomes (per second, scaled).</summary>
    public static ImmutableArray<(string Name, string Figure, double Scale)> Counters { get; } =
    [
        ("vllm:prompt_tokens_total", "prompt_tokens_per_s", 1),
        ("vllm:generation_tokens_total", "generation_tokens_per_s", 1),
        (PrometheusCounters.FlopsName, "teraflops_per_s_per_gpu", 1e-12),
        (PrometheusCounters.ReadBytesName, "read_gigabytes_per_s_per_gpu", 1e-9),
        (PrometheusCounters.WriteBytesName, "write_gigabytes_per_s_per_gpu", 1e-9),
        ("vllm:request_success_total", "requests_per_s", 1),
        ("vllm:num_preemptions_total", "preemptions_per_s", 1),
    ];

    /// <summary>Gauges read, with the figure each becomes.</summary>
    public static ImmutableArray<(string Name, string Figure, double Scale)> Gauges { get; } =
    [
        ("vllm:kv_cache_usage_perc", "kv_cache_usage_perc", 100),
        ("vllm:gpu_cache_usage_perc", "kv_cache_usage_perc", 100),
        ("vllm:num_requests_running", "running", 1),
        ("vllm:num_requests_waiting", "waiting", 1),
    ];

    private MetricsWindow(ImmutableArray<MetricFigure> figures, ImmutableArray<SkippedInput> skipped, double? interval, bool isInterval)
    {
        Figures = figures;
        Skipped = skipped;
        IntervalSeconds = interval;
        IsInterval = isInterval;
    }

    /// <summary>Every figure, grouped by series in the order the scrape lists them.</summary>
    public ImmutableArray<MetricFigure> Figures { get; }

    /// <summary>Lines and metrics not used, with why.</summary>
    public ImmutableArray<SkippedInput> Skipped { get; }

    /// <summary>Seconds between the scrapes (or the one scrape's window), when known.</summary>
    public double? IntervalSeconds { get; }

    /// <summary>Whether the figures are over the interval between two scrapes (else: since the server started).</summary>
    public bool IsInterval { get; }

    /// <summary>The series, in order.</summary>
    public ImmutableArray<string> Series => [.. Figures.Select(f => f.Series).Distinct()];

    /// <summary>Figure <paramref name="name"/> of <paramref name="series"/> (the first series when null), or null.</summary>
    public double? Get(string name, string? series = null) =>
        Figures.FirstOrDefault(f => f.Name == name && (series is null || f.Series == series)) is { } f ? f.Value : null;

    /// <summary>Reads one or two saved scrapes (<c>curl …/metrics &gt; FILE</c>) as a window. Without
    /// <paramref name="intervalSeconds"/> the interval is the samples' timestamps, else the files' modification times
    /// (when curl wrote them).</summary>
    /// <exception cref="InvalidDataException">A scrape cannot be read (the message names the file and line).</exception>
    public static MetricsWindow Load(string first, string? second = null, double? intervalSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(first);
        var earlier = PrometheusScrape.Load(first);
        if (second is null)
        {
            return From(earlier, null, intervalSeconds);
        }

        var later = PrometheusScrape.Load(second);
        if (intervalSeconds is null && earlier.TimestampMilliseconds is null)
        {
            // Implementation note: a saved scrape has no timestamps; the files' modification times are when curl wrote them.
            var seconds = (File.GetLastWriteTimeUtc(second) - File.GetLastWriteTimeUtc(first)).TotalSeconds;
            intervalSeconds = seconds > 0 ? seconds : null;
        }

        return From(earlier, later, intervalSeconds);
    }

    /// <summary>The figures of <paramref name="first"/> alone, or of the interval from it to <paramref name="second"/>.</summary>
    /// <param name="first">The earlier scrape.</param>
    /// <param name="second">The later scrape, or null.</param>
    /// <param name="intervalSeconds">Seconds between them (one scrape: the window its counters cover); null takes the
    /// scrapes' sample timestamps when they carry them; without it no rate is given.</param>
    public static MetricsWindow From(PrometheusScrape first, PrometheusScrape? second = null, double? intervalSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(first);
        if (intervalSeconds is { } given && !(given > 0 && double.IsFinite(given)))
        {
            throw new ArgumentOutOfRangeException(nameof(intervalSeconds), given, "the interval between scrapes must be a positive number of seconds");
        }

        var skipped = ImmutableArray.CreateBuilder<SkippedInput>();
        skipped.AddRange(first.Skipped);
        if (second is not null)
        {
            skipped.AddRange(second.Skipped);
        }

        var interval = intervalSeconds;
        if (interval is null && second is not null && first.TimestampMilliseconds is { } t0 && second.TimestampMilliseconds is { } t1 && t1 > t0)
        {
            interval = (t1 - t0) / 1e3;
        }

        var last = second ?? first;
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var h in Histograms)
        {
            known.Add(h.Family + "_bucket");
            known.Add(h.Family + "_sum");
            known.Add(h.Family + "_count");
            known.Add(h.Family + "_created");
        }

        foreach (var c in Counters)
        {
            known.Add(c.Name);
            known.Add(c.Name.EndsWith("_total", StringComparison.Ordinal) ? c.Name[..^6] + "_created" : c.Name + "_created");
        }

        foreach (var g in Gauges)
        {
            known.Add(g.Name);
        }

        foreach (var name in last.Samples.Select(s => s.Name).Where(n => !known.Contains(n)).Distinct())
        {
            skipped.Add(new SkippedInput(last.Source, 0, $"metric '{name}' is not one this reader uses"));
        }

        var before = second is null ? null : Index(first);
        var figures = ImmutableArray.CreateBuilder<MetricFigure>();
        foreach (var series in last.Samples.Where(s => known.Contains(s.Name)).Select(s => s.SeriesLabels).Distinct())
        {
            var now = last.Samples.Where(s => s.SeriesLabels == series).ToList();
            foreach (var (name, figure, scale) in Gauges)
            {
                if (now.FirstOrDefault(s => s.Name == name) is { } g && double.IsFinite(g.Value) && !figures.Any(f => f.Series == series && f.Name == figure))
                {
                    figures.Add(new MetricFigure(figure, series, g.Value * scale));
                }
            }

            foreach (var (name, figure, scale) in Counters)
            {
                if (now.FirstOrDefault(s => s.Name == name) is not { } c)
                {
                    continue;
                }

                var delta = c.Value - (before is null ? 0 : before.GetValueOrDefault((name, series, null), 0));
                if (delta < 0)
                {
                    skipped.Add(new SkippedInput(last.Source, 0, $"{name}{series} went down between the scrapes (a restart): no rate"));
                    continue;
                }

                if (interval is { } seconds)
                {
                    figures.Add(new MetricFigure(figure, series, delta / seconds * scale));
                }
                else
                {
                    figures.Add(new MetricFigure(figure.Replace("_per_s", string.Empty, StringComparison.Ordinal) + "_total", series, delta * scale));
                }
            }

            foreach (var (family, stem, scale) in Histograms)
            {
                Histogram(figures, skipped, last.Source, now, before, family, stem, scale, series, interval);
            }
        }

        if (interval is null && figures.Any(f => f.Name.EndsWith("_total", StringComparison.Ordinal)))
        {
            skipped.Add(new SkippedInput(last.Source, 0, "no interval between the scrapes (give it, or scrapes with timestamps): counters are shown as totals, not rates"));
        }

        return new MetricsWindow(figures.ToImmutable(), skipped.ToImmutable(), interval, second is not null);
    }

    /// <summary>The <paramref name="q"/> quantile of cumulative buckets (upper edge, count), as Prometheus's
    /// <c>histogram_quantile</c>; NaN when the histogram is empty.</summary>
    public static double Quantile(double q, IReadOnlyList<(double UpperBound, double Count)> buckets)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        if (buckets.Count == 0 || q is < 0 or > 1)
        {
            return double.NaN;
        }

        var sorted = buckets.OrderBy(b => b.UpperBound).ToList();
        var total = sorted[^1].Count;
        if (!(total > 0))
        {
            return double.NaN;
        }

        var rank = q * total;
        double lower = 0, below = 0;
        for (var i = 0; i < sorted.Count; i++)
        {
            var (upper, count) = sorted[i];
            if (count >= rank)
            {
                if (double.IsPositiveInfinity(upper))
                {
                    return i > 0 ? sorted[i - 1].UpperBound : double.NaN;
                }

                if (i == 0 && upper <= 0)
                {
                    return upper;
                }

                return count == below ? upper : lower + ((upper - lower) * (rank - below) / (count - below));
            }

            lower = upper;
            below = count;
        }

        return sorted[^1].UpperBound;
    }

    private static void Histogram(ImmutableArray<MetricFigure>.Builder figures, ImmutableArray<SkippedInput>.Builder skipped, string source, List<PrometheusSample> now,
        Dictionary<(string, string, string?), double>? before, string family, string stem, double scale, string series, double? interval)
    {
        var buckets = new List<(double, double)>();
        foreach (var b in now.Where(s => s.Name == family + "_bucket"))
        {
            var le = b.Label("le");
            if (le is null || !double.TryParse(le == "+Inf" ? "Infinity" : le, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var edge))
            {
                skipped.Add(new SkippedInput(source, 0, $"{family}_bucket{series}: bucket without a readable 'le' label"));
                return;
            }

            var count = b.Value - (before?.GetValueOrDefault((b.Name, series, le), 0) ?? 0);
            buckets.Add((edge, count));
        }

        var sum = now.FirstOrDefault(s => s.Name == family + "_sum")?.Value;
        var n = now.FirstOrDefault(s => s.Name == family + "_count")?.Value;
        if (buckets.Count == 0 && sum is null)
        {
            return;
        }

        if (before is not null)
        {
            sum -= before.GetValueOrDefault((family + "_sum", series, null), 0);
            n -= before.GetValueOrDefault((family + "_count", series, null), 0);
        }

        if (buckets.Any(b => b.Item2 < 0) || n < 0)
        {
            skipped.Add(new SkippedInput(source, 0, $"{family}{series} went down between the scrapes (a restart): skipped"));
            return;
        }

        if (n is { } count2 && count2 > 0 && sum is { } s2)
        {
            figures.Add(new MetricFigure("mean_" + stem, series, s2 / count2 * scale));
        }

        if (n is { } c2)
        {
            figures.Add(new MetricFigure("count_" + stem, series, c2));
            if (interval is { } seconds && family == "vllm:iteration_tokens_total")
            {
                figures.Add(new MetricFigure("steps_per_s", series, c2 / seconds));
            }
        }

        if (buckets.Count > 0 && buckets.Max(b => b.Item2) > 0)
        {
            foreach (var (q, prefix) in new[] { (0.5, "median_"), (0.9, "p90_"), (0.99, "p99_") })
            {
                var value = Quantile(q, buckets);
                if (double.IsFinite(value))
                {
                    figures.Add(new MetricFigure(prefix + stem, series, value * scale));
                }
            }
        }
    }

    private static Dictionary<(string, string, string?), double> Index(PrometheusScrape scrape)
    {
        var index = new Dictionary<(string, string, string?), double>();
        foreach (var s in scrape.Samples)
        {
            index[(s.Name, s.SeriesLabels, s.Label("le"))] = s.Value;
        }

        return index;
    }
}

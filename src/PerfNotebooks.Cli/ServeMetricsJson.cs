using System.Text.Json.Serialization;
using PerfNotebooks.Serving;

namespace PerfNotebooks.Cli;

/// <summary>vllm bench serve's result fields (<c>vllm/benchmarks/serve.py</c> <c>benchmark</c>, <c>process_one_metric</c>),
/// milliseconds for latencies. A null field is left out; a non-finite one is written as null.</summary>
/// <remarks>When nothing was simulated (the model does not fit), only <c>"completed": null</c> is written.</remarks>
internal record ServeMetricsJson
{
    public double? Duration { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public long? Completed { get; init; }

    public long? Failed { get; init; }

    public long? TotalInputTokens { get; init; }

    public long? TotalOutputTokens { get; init; }

    public double? RequestThroughput { get; init; }

    /// <summary>NaN (written as null) when no goodput targets were given, as vllm bench serve saves it.</summary>
    public double? RequestGoodput { get; init; }

    public double? OutputThroughput { get; init; }

    public double? TotalTokenThroughput { get; init; }

    public double? MaxOutputTokensPerS { get; init; }

    public long? MaxConcurrentRequests { get; init; }

    public double? MeanTtftMs { get; init; }

    public double? MedianTtftMs { get; init; }

    public double? StdTtftMs { get; init; }

    public double? P90TtftMs { get; init; }

    public double? P99TtftMs { get; init; }

    public double? MeanTpotMs { get; init; }

    public double? MedianTpotMs { get; init; }

    public double? StdTpotMs { get; init; }

    public double? P90TpotMs { get; init; }

    public double? P99TpotMs { get; init; }

    public double? MeanItlMs { get; init; }

    public double? MedianItlMs { get; init; }

    public double? StdItlMs { get; init; }

    public double? P90ItlMs { get; init; }

    public double? P99ItlMs { get; init; }

    public double? MeanE2elMs { get; init; }

    public double? MedianE2elMs { get; init; }

    public double? StdE2elMs { get; init; }

    public double? P90E2elMs { get; init; }

    public double? P99E2elMs { get; init; }

    public static ServeMetricsJson Of(BenchmarkMetrics? m) => m is null
        ? new ServeMetricsJson()
        : new ServeMetricsJson
        {
            Duration = m.DurationSeconds,
            Completed = m.Completed,
            Failed = 0,
            TotalInputTokens = m.TotalInputTokens,
            TotalOutputTokens = m.TotalOutputTokens,
            RequestThroughput = m.RequestThroughput,
            RequestGoodput = m.RequestGoodput ?? double.NaN,
            OutputThroughput = m.OutputThroughput,
            TotalTokenThroughput = m.TotalTokenThroughput,
            MaxOutputTokensPerS = m.MaxOutputTokensPerSecond,
            MaxConcurrentRequests = m.MaxConcurrentRequests,
            MeanTtftMs = m.Ttft.MeanSeconds * 1e3,
            MedianTtftMs = m.Ttft.MedianSeconds * 1e3,
            StdTtftMs = m.Ttft.StdSeconds * 1e3,
            P90TtftMs = m.Ttft.P90Seconds * 1e3,
            P99TtftMs = m.Ttft.P99Seconds * 1e3,
            MeanTpotMs = m.Tpot.MeanSeconds * 1e3,
            MedianTpotMs = m.Tpot.MedianSeconds * 1e3,
            StdTpotMs = m.Tpot.StdSeconds * 1e3,
            P90TpotMs = m.Tpot.P90Seconds * 1e3,
            P99TpotMs = m.Tpot.P99Seconds * 1e3,
            MeanItlMs = m.Itl.MeanSeconds * 1e3,
            MedianItlMs = m.Itl.MedianSeconds * 1e3,
            StdItlMs = m.Itl.StdSeconds * 1e3,
            P90ItlMs = m.Itl.P90Seconds * 1e3,
            P99ItlMs = m.Itl.P99Seconds * 1e3,
            MeanE2elMs = m.E2el.MeanSeconds * 1e3,
            MedianE2elMs = m.E2el.MedianSeconds * 1e3,
            StdE2elMs = m.E2el.StdSeconds * 1e3,
            P90E2elMs = m.E2el.P90Seconds * 1e3,
            P99E2elMs = m.E2el.P99Seconds * 1e3,
        };
}

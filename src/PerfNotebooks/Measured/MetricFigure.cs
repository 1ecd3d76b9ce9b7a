namespace PerfNotebooks.Measured;

/// <summary>One measured figure of a scrape window: a rate, a gauge or a histogram statistic, for one series (the
/// labels other than <c>le</c>; vLLM labels each engine's series <c>engine="N"</c>).</summary>
/// <param name="Name">The figure (<c>median_ttft_ms</c>, <c>generation_tokens_per_s</c>, <c>kv_cache_usage_perc</c>, …).</param>
/// <param name="Series">The series' labels, <c>{engine="0",model_name="…"}</c>.</param>
/// <param name="Value">The value in the unit its name ends with.</param>
public sealed record MetricFigure(string Name, string Series, double Value);

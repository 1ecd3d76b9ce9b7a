namespace PerfNotebooks.Measured;

/// <summary>vLLM's periodic stats line (<c>LoggingStatLogger.log</c> in <c>vllm/v1/metrics/loggers.py</c>): average
/// prompt and generation throughput since the previous line, running and waiting requests, KV-cache usage and
/// prefix-cache hit rate, for one engine.</summary>
/// <param name="Engine">The engine index (<c>Engine 000</c> is <c>0</c>).</param>
/// <param name="PromptTokensPerSecond">Average prompt (prefill) throughput, tokens/s.</param>
/// <param name="GenerationTokensPerSecond">Average generation throughput, tokens/s.</param>
/// <param name="Running">Running requests.</param>
/// <param name="Waiting">Waiting requests.</param>
/// <param name="KvCacheUsagePercent">KV-cache usage, per cent.</param>
/// <param name="PrefixCacheHitRatePercent">Prefix-cache hit rate, per cent.</param>
/// <param name="Line">Line number (1-based).</param>
public sealed record StatsLine(
    string Engine,
    double PromptTokensPerSecond,
    double GenerationTokensPerSecond,
    long Running,
    long Waiting,
    double KvCacheUsagePercent,
    double? PrefixCacheHitRatePercent,
    long Line);

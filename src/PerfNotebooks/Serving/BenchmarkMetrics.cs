namespace PerfNotebooks.Serving;

/// <summary>
/// A benchmark's figures as vllm bench serve computes them (vllm/benchmarks/serve.py <c>calculate_metrics</c>) over
/// the measured requests: counts, throughputs over the benchmark's duration, and TTFT, TPOT, ITL and E2EL statistics.
/// Times are seconds here; the JSON result has serve.py's names in milliseconds (<c>mean_ttft_ms</c>, …).
/// </summary>
/// <param name="Completed">Measured requests that finished (serve.py <c>completed</c>).</param>
/// <param name="TotalInputTokens">Prompt tokens of the measured requests (<c>total_input_tokens</c>).</param>
/// <param name="TotalOutputTokens">Tokens they generated (<c>total_output_tokens</c>).</param>
/// <param name="DurationSeconds">From the first measured request's start to the last one's final token (<c>duration</c>), seconds.</param>
/// <param name="RequestThroughput">Completed ÷ duration, requests per second (<c>request_throughput</c>).</param>
/// <param name="RequestGoodput">Requests meeting every SLO ÷ duration, requests per second (<c>request_goodput</c>); null without SLOs.</param>
/// <param name="OutputThroughput">Output tokens ÷ duration, tokens per second per replica set (<c>output_throughput</c>).</param>
/// <param name="TotalTokenThroughput">(Input + output tokens) ÷ duration, tokens per second (<c>total_token_throughput</c>).</param>
/// <param name="MaxOutputTokensPerSecond">Most output tokens in one whole second of the run (<c>max_output_tokens_per_s</c>).</param>
/// <param name="MaxConcurrentRequests">Most measured requests in flight at once at the client (<c>max_concurrent_requests</c>).</param>
/// <param name="Ttft">Time to first token: the client's send to the first streamed token.</param>
/// <param name="Tpot">Time per output token, first excluded: (E2EL − TTFT) ÷ (output − 1), over requests of more than one token.</param>
/// <param name="Itl">Inter-token latency: every gap between a request's consecutive streamed tokens.</param>
/// <param name="E2el">End-to-end latency: the client's send to the last token.</param>
public sealed record BenchmarkMetrics(
    long Completed,
    long TotalInputTokens,
    long TotalOutputTokens,
    double DurationSeconds,
    double RequestThroughput,
    double? RequestGoodput,
    double OutputThroughput,
    double TotalTokenThroughput,
    double MaxOutputTokensPerSecond,
    long MaxConcurrentRequests,
    LatencyStats Ttft,
    LatencyStats Tpot,
    LatencyStats Itl,
    LatencyStats E2el);

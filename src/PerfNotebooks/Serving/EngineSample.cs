namespace PerfNotebooks.Serving;

/// <summary>The engine's state after one step, as vLLM's Prometheus gauges report it (<c>vllm:num_requests_running</c>,
/// <c>vllm:num_requests_waiting</c>, <c>vllm:kv_cache_usage_perc</c>, <c>vllm:num_preemptions</c>), per replica.</summary>
/// <param name="TimeSeconds">Engine clock at the step's end, seconds from the benchmark's start.</param>
/// <param name="StepSeconds">The step's duration, seconds.</param>
/// <param name="ScheduledTokens">Tokens the step computed (prefill chunks plus decodes).</param>
/// <param name="Running">Requests running (holding KV blocks).</param>
/// <param name="Waiting">Requests queued in the engine (arrived, not yet scheduled, or preempted).</param>
/// <param name="KvCacheUsage">Fraction of the KV-cache blocks in use, 0 to 1.</param>
/// <param name="Preemptions">Preemptions so far (cumulative).</param>
public readonly record struct EngineSample(
    double TimeSeconds,
    double StepSeconds,
    long ScheduledTokens,
    int Running,
    int Waiting,
    double KvCacheUsage,
    long Preemptions);

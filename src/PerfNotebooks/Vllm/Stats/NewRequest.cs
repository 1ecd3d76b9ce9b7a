namespace PerfNotebooks.Vllm.Stats;

/// <summary>A request scheduled for the first time in a step (vLLM's <c>NewRequestData</c>, the fields the perf model reads).</summary>
/// <param name="RequestId">The request id.</param>
/// <param name="ComputedTokens">Tokens already computed (a prefix-cache hit), in tokens.</param>
public readonly record struct NewRequest(string RequestId, long ComputedTokens);

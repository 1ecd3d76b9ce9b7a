namespace PerfNotebooks;

/// <summary>One request of a <see cref="Batch"/>, as vLLM 2026-09's <c>ExecutionContext.requests</c> records it.</summary>
/// <param name="Tokens">Tokens scheduled for the request in this step.</param>
/// <param name="ContextLength">Tokens of context once the step has run (computed + scheduled).</param>
/// <param name="IsPrefill">Whether the request is in its prefill phase.</param>
public readonly record struct BatchRequest(long Tokens, long ContextLength, bool IsPrefill);

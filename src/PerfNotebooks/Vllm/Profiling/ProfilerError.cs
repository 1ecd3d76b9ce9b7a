using System.Collections.Immutable;

namespace PerfNotebooks.Vllm.Profiling;

/// <summary>Why a profiler config was rejected.</summary>
/// <param name="Kind"><c>field</c> (a field failed its type or range check) or <c>validator</c> (a cross-field rule).</param>
/// <param name="Message">The validator's message (vLLM's text); for field failures, our description.</param>
/// <param name="Fields">The failing fields, for <c>field</c> errors.</param>
public sealed record ProfilerError(string Kind, string Message, ImmutableArray<string> Fields);

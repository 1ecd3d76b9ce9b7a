using PerfNotebooks.Models;
using PerfNotebooks.Vllm.Components;

namespace PerfNotebooks.Vllm.Parsers;

/// <summary>MLA attention applies only to MLA models, as vLLM 2026-09's <c>MLADetectionParser</c> (else <c>not_mla</c>).</summary>
internal sealed class MlaDetectionParser : IConfigParser
{
    /// <inheritdoc />
    public ParsedArgs Parse(ParsedArgs args, ModelSource source)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(source);
        return source.IsDeepseekMla
            ? args
            : args with { Skip = new ComponentOutcome.Skipped(string.Empty, SkipReason.NotMla, "the model does not use MLA attention") };
    }
}

using PerfNotebooks.Models;
using PerfNotebooks.Vllm.Components;

namespace PerfNotebooks.Vllm.Parsers;

/// <summary>
/// Standard attention does not apply to an MLA model, as vLLM 2026-09's <c>AttentionDetectionParser</c>: the
/// component is skipped (<c>uses_mla</c>) and <c>mla_attn</c> counts the attention instead.
/// </summary>
internal sealed class AttentionDetectionParser : IConfigParser
{
    /// <inheritdoc />
    public ParsedArgs Parse(ParsedArgs args, ModelSource source)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(source);
        return source.IsDeepseekMla
            ? args with { Skip = new ComponentOutcome.Skipped(string.Empty, SkipReason.UsesMla, "the model uses MLA attention; mla_attn counts it") }
            : args;
    }
}

using PerfNotebooks.Models;

namespace PerfNotebooks.Vllm.Parsers;

/// <summary>
/// FFN and MoE fields as vLLM 2026-09's <c>BaseFfnConfigParser</c>: those of <see cref="BaseFfnConfigParser"/>, with
/// top-k from <see cref="ModelSource.NumExpertsPerToken"/> (<c>get_num_experts_per_tok</c>: five aliases, lists).
/// </summary>
internal sealed class ExpertsPerTokenFfnConfigParser : IConfigParser
{
    private static readonly BaseFfnConfigParser Base = new();

    /// <inheritdoc />
    public ParsedArgs Parse(ParsedArgs args, ModelSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Base.Parse(args, source)
            .WithNumber("num_experts_per_tok", source.NumExpertsPerToken(), (a, v) => a with { NumExpertsPerToken = v });
    }
}

using PerfNotebooks.Models;
using PerfNotebooks.Vllm.Components;

namespace PerfNotebooks.Vllm.Parsers;

/// <summary>
/// MLA fields, as vLLM 2026-09's <c>MLAConfigParser</c>: <c>kv_lora_rank</c>, <c>qk_nope_head_dim</c>,
/// <c>qk_rope_head_dim</c>, <c>v_head_dim</c> (required), <c>q_lora_rank</c> (None when absent) and the KV-cache byte size.
/// </summary>
internal sealed class MlaConfigParser : IConfigParser
{
    /// <inheritdoc />
    public ParsedArgs Parse(ParsedArgs args, ModelSource source)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(source);
        var config = source.Config;
        foreach (var required in (ReadOnlySpan<string>)["kv_lora_rank", "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim"])
        {
            if (!config.TextHas(required))
            {
                return args with
                {
                    Skip = new ComponentOutcome.Skipped(string.Empty, SkipReason.MissingRequiredAttr, $"config has no {required}"),
                };
            }
        }

        return args
            .WithNumber("kv_lora_rank", config.TextNumber("kv_lora_rank"), (a, v) => a with { KvLoraRank = v })
            .WithNumber("qk_nope_head_dim", config.TextNumber("qk_nope_head_dim"), (a, v) => a with { QkNopeHeadDim = v })
            .WithNumber("qk_rope_head_dim", config.TextNumber("qk_rope_head_dim"), (a, v) => a with { QkRopeHeadDim = v })
            .WithNumber("v_head_dim", config.TextNumber("v_head_dim"), (a, v) => a with { VHeadDim = v })
            .WithNumber("q_lora_rank", config.TextNumber("q_lora_rank"), (a, v) => a with { QLoraRank = v })
            with
        { CacheByteSize = source.CacheByteSize };
    }
}

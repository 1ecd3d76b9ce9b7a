using PerfNotebooks.Models;

namespace PerfNotebooks.Vllm.Parsers;

/// <summary>Attention fields, as vLLM's <c>BaseAttentionConfigParser</c>: KV heads, head size and KV-cache byte size.</summary>
internal sealed class BaseAttentionConfigParser : IConfigParser
{
    /// <inheritdoc />
    public ParsedArgs Parse(ParsedArgs args, ModelSource source)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(source);
        return args
            .WithNumber("num_key_value_heads", source.TotalKvHeads(), (a, v) => a with { NumKeyValueHeads = v })
            .WithNumber("head_dim", source.HeadSize(), (a, v) => a with { HeadDim = v })
            with
        { CacheByteSize = source.CacheByteSize };
    }
}

using System.Collections.Immutable;
using PerfNotebooks.Models;
using PerfNotebooks.Vllm.Components;

namespace PerfNotebooks.Vllm.Parsers;

/// <summary>
/// The fields parsers fill for a component, one nullable property each (null: absent or None). Parsers return
/// <c>args with { … }</c>; a parser that finds the component does not apply sets <see cref="Skip"/>.
/// </summary>
internal sealed record ParsedArgs
{
    /// <summary>Nothing parsed yet.</summary>
    public static ParsedArgs Empty { get; } = new();

    /// <summary><c>vocab_size</c>.</summary>
    public long? VocabSize { get; init; }

    /// <summary><c>hidden_size</c>.</summary>
    public long? HiddenSize { get; init; }

    /// <summary><c>num_attention_heads</c> (all ranks).</summary>
    public long? NumAttentionHeads { get; init; }

    /// <summary><c>num_hidden_layers</c>.</summary>
    public long? NumHiddenLayers { get; init; }

    /// <summary>Bytes per weight element (the model dtype, or the quantization method's size).</summary>
    public ByteSize? WeightByteSize { get; init; }

    /// <summary>Bytes per activation element.</summary>
    public long? ActivationByteSize { get; init; }

    /// <summary>Data-parallel ranks.</summary>
    public long? DataParallel { get; init; }

    /// <summary>Tensor-parallel ranks.</summary>
    public long? TensorParallel { get; init; }

    /// <summary>Pipeline stages.</summary>
    public long? PipelineParallel { get; init; }

    /// <summary>Whether expert parallelism is on.</summary>
    public bool? EnableExpertParallel { get; init; }

    /// <summary>KV heads (all ranks).</summary>
    public long? NumKeyValueHeads { get; init; }

    /// <summary>Head dimension.</summary>
    public long? HeadDim { get; init; }

    /// <summary>Bytes per KV-cache element.</summary>
    public long? CacheByteSize { get; init; }

    /// <summary>Dense FFN width.</summary>
    public long? IntermediateSize { get; init; }

    /// <summary>Routed experts.</summary>
    public long? NumExperts { get; init; }

    /// <summary>Experts each token activates (top-k).</summary>
    public long? NumExpertsPerToken { get; init; }

    /// <summary>Width of one expert's FFN.</summary>
    public long? MoeIntermediateSize { get; init; }

    /// <summary>Shared experts every token runs.</summary>
    public long? NumSharedExperts { get; init; }

    /// <summary>Layers whose FFN is a mixture of experts.</summary>
    public long? NumMoeLayers { get; init; }

    /// <summary>Tensor-parallel ranks the FFN is split over (DP × TP without EP).</summary>
    public long? FfnTensorParallel { get; init; }

    /// <summary>Expert-parallel ranks the FFN is split over (DP × TP with EP).</summary>
    public long? FfnExpertParallel { get; init; }

    /// <summary>Attention window (<c>get_sliding_window()</c>), or null (revision 2026-09).</summary>
    public long? SlidingWindow { get; init; }

    /// <summary>Layers that use the sliding window (revision 2026-09).</summary>
    public long? NumSwaLayers { get; init; }

    /// <summary>MLA latent KV rank <c>kv_lora_rank</c> (revision 2026-09).</summary>
    public long? KvLoraRank { get; init; }

    /// <summary>MLA <c>qk_nope_head_dim</c>.</summary>
    public long? QkNopeHeadDim { get; init; }

    /// <summary>MLA <c>qk_rope_head_dim</c>.</summary>
    public long? QkRopeHeadDim { get; init; }

    /// <summary>MLA <c>v_head_dim</c>.</summary>
    public long? VHeadDim { get; init; }

    /// <summary>MLA <c>q_lora_rank</c>; null when absent or None (queries projected directly).</summary>
    public long? QLoraRank { get; init; }

    /// <summary>Config values that were present but not integers, by field name, with their JSON text.</summary>
    public ImmutableDictionary<string, string> Malformed { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Set by a parser that finds the component does not apply; later parsers do not run.</summary>
    public ComponentOutcome.Skipped? Skip { get; init; }

    /// <summary>Returns these args with <paramref name="value"/> read into a field through <paramref name="set"/>; a malformed value is noted.</summary>
    public ParsedArgs WithNumber(string field, ConfigNumber value, Func<ParsedArgs, long?, ParsedArgs> set)
    {
        ArgumentNullException.ThrowIfNull(set);
        var args = set(this, value.AsNullable);
        return value.Kind == ConfigNumberKind.Malformed
            ? args with { Malformed = args.Malformed.SetItem(field, value.Raw) }
            : args.Malformed.ContainsKey(field) ? args with { Malformed = args.Malformed.Remove(field) } : args;
    }
}

using System.Text.Json.Nodes;
namespace PerfNotebooks.Models;

/// <summary>
/// The shapes of a model as its resolved config gives them (whole model, one pipeline stage not yet applied): what
/// the physical book computes with. KV heads, head size, experts and top-k come from the same resolution the vLLM
/// book reads (<see cref="ModelSource.TotalKvHeads"/>, <see cref="ModelSource.HeadSize"/>,
/// <see cref="ModelSource.NumExperts"/>, <see cref="ModelSource.NumExpertsPerToken"/>); the layer patterns below
/// (MoE layers, windowed layers, shared experts) are physical fields that vLLM's perf model does not resolve.
/// </summary>
/// <remarks>
/// Covers dense and MoE FFNs (routed experts on MoE layers only, shared experts, Llama-4's interleaved dense layers
/// with <c>intermediate_size_mlp</c>), sliding-window and chunked-local attention layers (<c>layer_types</c>,
/// <c>sliding_window</c>, Llama-4 <c>attention_chunk_size</c>) and MLA (<c>kv_lora_rank</c>).
/// </remarks>
internal sealed class ModelShape
{
    // Implementation note: the layer patterns (MoE frequency, sparse steps) are walked layer by layer; a model of
    // more than 2^20 layers exists nowhere, so it is refused rather than walked for hours. The vLLM book still
    // evaluates such a config exactly, in closed form, because it never asks for this shape.
    private const long MaxLayers = 1 << 20;

    private ModelShape()
    {
    }

    /// <summary>Model hidden size.</summary>
    public long HiddenSize { get; private init; }

    /// <summary>Decoder layers.</summary>
    public long Layers { get; private init; }

    /// <summary>Query heads (whole model).</summary>
    public long Heads { get; private init; }

    /// <summary>KV heads (whole model): <see cref="ModelSource.TotalKvHeads"/>, else <see cref="Heads"/>.</summary>
    public long KvHeads { get; private init; }

    /// <summary>Head size, elements: <see cref="ModelSource.HeadSize"/>, else hidden size ÷ heads.</summary>
    public long HeadDim { get; private init; }

    /// <summary>Vocabulary size.</summary>
    public long VocabSize { get; private init; }

    /// <summary>Whether the unembedding shares the input embedding's weights (<c>tie_word_embeddings</c>).</summary>
    public bool TiedEmbeddings { get; private init; }

    /// <summary>MLA latent KV rank (0 for ordinary attention).</summary>
    public long KvLoraRank { get; private init; }

    /// <summary>MLA query latent rank (0 when queries are not compressed).</summary>
    public long QLoraRank { get; private init; }

    /// <summary>MLA rotary part of each head, elements.</summary>
    public long RopeHeadDim { get; private init; }

    /// <summary>MLA non-rotary part of each query/key head, elements.</summary>
    public long NopeHeadDim { get; private init; }

    /// <summary>MLA value head size, elements (<see cref="HeadDim"/> when absent).</summary>
    public long VHeadDim { get; private init; }

    /// <summary>Routed experts (0 for a dense model).</summary>
    public long Experts { get; private init; }

    /// <summary>Experts each token is routed to: <see cref="ModelSource.NumExpertsPerToken"/>, at least 1 for an MoE model; 0 for a dense one.</summary>
    public long TopK { get; private init; }

    /// <summary>Dense FFN intermediate size (Llama-4: <c>intermediate_size_mlp</c>); 0 when absent.</summary>
    public long DenseIntermediateSize { get; private init; }

    /// <summary>One routed expert's intermediate size.</summary>
    public long ExpertIntermediateSize { get; private init; }

    /// <summary>Shared experts' total intermediate size per MoE layer (Llama-4: one expert of <c>intermediate_size</c>).</summary>
    public long SharedIntermediateSize { get; private init; }

    /// <summary>Physical: layers whose FFN is a mixture of experts (<c>moe_layers</c>, sparse steps, first dense layers, MLP-only layers).</summary>
    public long MoeLayers { get; private init; }

    /// <summary>Physical: layers that attend to a window (sliding or chunked) rather than the whole context.</summary>
    public long SlidingLayers { get; private init; }

    /// <summary>Physical: the window of <see cref="SlidingLayers"/>, tokens (0 when none).</summary>
    public long Window { get; private init; }

    /// <summary>How the weights are stored, from the checkpoint's quantization config.</summary>
    public WeightQuantization Quantization { get; private init; } = null!;

    /// <summary>Resolves the shapes of <paramref name="source"/>.</summary>
    /// <exception cref="ModelConfigException">A shape is missing or not a positive whole number; names the key.</exception>
    internal static ModelShape Resolve(ModelSource source)
    {
        var c = source.Config;
        long Need(string key) => c.TextNumber(key).AsNullable is { } v && v > 0
            ? v
            : throw new ModelConfigException(c.Source, key, "the physical model needs a positive whole number");
        long Opt(string key, long fallback) => c.TextNumber(key).AsNullable ?? fallback;

        var hidden = Need("hidden_size");
        var layers = Need("num_hidden_layers");
        if (layers > MaxLayers)
        {
            throw new ModelConfigException(c.Source, "num_hidden_layers", $"is {layers:N0}; the physical model handles at most {MaxLayers:N0} layers");
        }

        var heads = Need("num_attention_heads");
        var kvHeads = source.TotalKvHeads().AsNullable is { } kv && kv > 0 ? kv : heads;
        var headDim = source.HeadSize().AsNullable is { } hd && hd > 0 ? hd : hidden / heads;
        var vocab = Need("vocab_size");
        var experts = source.NumExperts().AsNullable ?? 0;
        var llama4 = c.TextHas("intermediate_size_mlp");
        var expertIntermediate = experts == 0 ? 0 : c.TextHas("moe_intermediate_size") ? Opt("moe_intermediate_size", 0) : Opt("intermediate_size", 0);
        var moeLayers = experts == 0 ? 0 : CountMoeLayers(c.Text, layers, llama4);
        var (slidingLayers, window) = SlidingLayout(c.Text, layers);
        return new ModelShape
        {
            HiddenSize = hidden,
            Layers = layers,
            Heads = heads,
            KvHeads = kvHeads,
            HeadDim = headDim,
            VocabSize = vocab,
            TiedEmbeddings = Bool(c.Root, "tie_word_embeddings") ?? Bool(c.Text, "tie_word_embeddings") ?? false,

            // MLA (DeepSeek V2/V3): a compressed latent KV per token instead of per-head K and V.
            KvLoraRank = Opt("kv_lora_rank", 0),
            QLoraRank = Opt("q_lora_rank", 0),
            RopeHeadDim = Opt("qk_rope_head_dim", 0),
            NopeHeadDim = Opt("qk_nope_head_dim", 0),
            VHeadDim = Opt("v_head_dim", headDim),

            Experts = experts,

            // Physical: a router that names no top-k still sends each token to one expert.
            TopK = experts > 0 ? Math.Max(1, source.NumExpertsPerToken().AsNullable ?? 1) : 0,
            DenseIntermediateSize = llama4 ? Opt("intermediate_size_mlp", 0) : Opt("intermediate_size", 0),
            ExpertIntermediateSize = expertIntermediate,
            SharedIntermediateSize = experts == 0 ? 0
                : llama4 ? Opt("intermediate_size", 0)
                : c.TextHas("shared_expert_intermediate_size") ? Opt("shared_expert_intermediate_size", 0)
                : Opt("n_shared_experts", 0) * expertIntermediate,
            MoeLayers = moeLayers,
            SlidingLayers = slidingLayers,
            Window = window,
            Quantization = source.WeightQuantization,
        };
    }

    private static bool? Bool(JsonObject obj, string key) =>
        obj.TryGetPropertyValue(key, out var node) && node is JsonValue v && v.TryGetValue(out bool b) ? b : null;

    private static long CountMoeLayers(JsonObject text, long layers, bool llama4)
    {
        if (text.TryGetPropertyValue("moe_layers", out var list) && list is JsonArray moe)
        {
            return moe.Count;
        }

        long Number(string key, long fallback) => ConfigNumber.Read(text, key).AsNullable ?? fallback;
        var step = llama4 ? Number("interleave_moe_layer_step", 1) : Number("decoder_sparse_step", 1);
        var firstDense = Number("first_k_dense_replace", 0);
        var freq = Math.Max(1, Number("moe_layer_freq", 1));
        var mlpOnly = text.TryGetPropertyValue("mlp_only_layers", out var only) && only is JsonArray o
            ? o.Select(n => n is JsonValue v && v.TryGetValue(out long i) ? i : -1).ToHashSet()
            : [];
        long count = 0;
        for (long i = 0; i < layers; i++)
        {
            var sparse = step > 0 && (i + 1) % step == 0 && i >= firstDense && (i - firstDense) % freq == 0 && !mlpOnly.Contains(i);
            count += sparse ? 1 : 0;
        }

        return count;
    }

    private static (long Layers, long Window) SlidingLayout(JsonObject text, long layers)
    {
        long Number(string key) => ConfigNumber.Read(text, key).AsNullable ?? 0;
        var window = Number("sliding_window");
        if (text.TryGetPropertyValue("layer_types", out var types) && types is JsonArray list && window > 0)
        {
            return (list.Count(t => t is JsonValue v && v.TryGetValue(out string? s) && s is "sliding_attention" or "chunked_attention"), window);
        }

        // Llama-4: layers with rotary embeddings attend within chunks of attention_chunk_size; every no_rope layer is global.
        var chunk = Number("attention_chunk_size");
        if (chunk > 0 && text.TryGetPropertyValue("no_rope_layers", out var noRope) && noRope is JsonArray flags && flags.Count == layers)
        {
            return (flags.Count(f => f is JsonValue v && v.TryGetValue(out long r) && r != 0), chunk);
        }

        var enabled = !(text.TryGetPropertyValue("use_sliding_window", out var use) && use is JsonValue u && u.TryGetValue(out bool b) && !b);
        return enabled && window > 0 ? (layers, window) : (0, 0);
    }
}

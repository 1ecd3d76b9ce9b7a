using System.Collections.Immutable;
using System.Numerics;
using PerfNotebooks.Internal;
using PerfNotebooks.Models;
using PerfNotebooks.Vllm.Parsers;

namespace PerfNotebooks.Vllm.Components;

/// <summary>
/// Multi-head latent attention (DeepSeek-V2/V3/R1, Kimi-K2 and kin), as vLLM 2026-09's <c>MLAAttentionMetrics</c>
/// (component <c>mla_attn</c>): an optional low-rank query path, the latent KV projection
/// (<c>kv_lora_rank + qk_rope_head_dim</c> per token, the KV cache entry) and its per-head expansion.
/// </summary>
/// <remarks>
/// Exact integer arithmetic. Per GPU, layers are floor-divided by the pipeline stages and query heads by the TP size
/// (at least 1); the latent projections are not split. Quirks kept from upstream: attention FLOPs are non-causal
/// and count the full context (no window); prefill reads K and V as if expanded per head at activation precision;
/// weights are read once per step.
/// </remarks>
public sealed class MlaAttentionMetrics : IComponentMetrics
{
    private const string Component = "mla_attn";

    private static readonly Dictionary<string, TermKey> Keys = new[]
    {
        "q_a_proj", "q_b_proj", "q_proj", "kv_a_proj", "kv_b_proj", "attn_qk", "attn_av", "out_proj",
        "q_a_input", "q_a_weight", "q_b_input", "q_b_weight", "q_input", "q_weight", "kv_a_input", "kv_a_weight",
        "kv_b_input", "kv_b_weight", "attn_input", "out_input", "out_weight",
        "q_a_output", "q_b_output", "q_output", "kv_a_output", "kv_b_output", "kv_cache", "out_output",
    }.ToDictionary(n => n, n => new TermKey(Component, n), StringComparer.Ordinal);

    /// <summary>The parsers, in upstream's order: MLA guard, base fields, MLA fields, quantization table.</summary>
    internal static ParserChain Parsers { get; } = new(
        new MlaDetectionParser(), new ModelDtypeBaseConfigParser(), new MlaConfigParser(), new QuantizationTableParser());

    private MlaAttentionMetrics(long[] v, ByteSize weightSize, long? qLoraRank)
    {
        Layers = v[0];
        HiddenSize = v[1];
        Heads = v[2];
        ActivationByteSize = v[3];
        TensorParallel = v[4];
        PipelineParallel = v[5];
        KvLoraRank = v[6];
        QkNopeHeadDim = v[7];
        QkRopeHeadDim = v[8];
        VHeadDim = v[9];
        CacheByteSize = v[10];
        WeightByteSize = weightSize;
        QLoraRank = qLoraRank;
    }

    /// <inheritdoc />
    public string Name => Component;

    /// <summary>Transformer layers (all stages).</summary>
    public long Layers { get; }

    /// <summary>Model width.</summary>
    public long HiddenSize { get; }

    /// <summary>Query heads (all ranks).</summary>
    public long Heads { get; }

    /// <summary>Bytes per activation element.</summary>
    public long ActivationByteSize { get; }

    /// <summary>Tensor-parallel ranks.</summary>
    public long TensorParallel { get; }

    /// <summary>Pipeline stages.</summary>
    public long PipelineParallel { get; }

    /// <summary>Size of one weight element.</summary>
    public ByteSize WeightByteSize { get; }

    /// <summary>Latent KV rank (<c>kv_lora_rank</c>).</summary>
    public long KvLoraRank { get; }

    /// <summary>Per-head query/key dimension without rotary embedding.</summary>
    public long QkNopeHeadDim { get; }

    /// <summary>Per-head rotary dimension, shared across heads in the latent.</summary>
    public long QkRopeHeadDim { get; }

    /// <summary>Per-head value dimension.</summary>
    public long VHeadDim { get; }

    /// <summary>Low-rank query dimension, or null when queries are projected directly.</summary>
    public long? QLoraRank { get; }

    /// <summary>Bytes per KV-cache element.</summary>
    public long CacheByteSize { get; }

    /// <inheritdoc />
    public ImmutableArray<ComponentField> Fields =>
    [
        new("num_hidden_layers", Layers), new("hidden_size", HiddenSize), new("num_attention_heads", Heads),
        new("activation_byte_size", ActivationByteSize), new("tp_size", TensorParallel), new("pp_size", PipelineParallel),
        new("weight_byte_size", WeightByteSize.Bytes), new("kv_lora_rank", KvLoraRank), new("qk_nope_head_dim", QkNopeHeadDim),
        new("qk_rope_head_dim", QkRopeHeadDim), new("v_head_dim", VHeadDim), new("q_lora_rank", QLoraRank),
        new("cache_byte_size", CacheByteSize),
    ];

    /// <summary>Builds the component from parsed args; every field but <c>q_lora_rank</c> must be greater than 0.</summary>
    internal static ComponentOutcome From(ParsedArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Skip is { } skip)
        {
            return skip with { Name = Component };
        }

        var v = new FieldValidator(Component, args);
        long[] values =
        [
            v.Positive(args.NumHiddenLayers, "num_hidden_layers"), v.Positive(args.HiddenSize, "hidden_size"),
            v.Positive(args.NumAttentionHeads, "num_attention_heads"), v.Positive(args.ActivationByteSize, "activation_byte_size"),
            v.Positive(args.TensorParallel, "tp_size"), v.Positive(args.PipelineParallel, "pp_size"),
            v.Positive(args.KvLoraRank, "kv_lora_rank"), v.Positive(args.QkNopeHeadDim, "qk_nope_head_dim"),
            v.Positive(args.QkRopeHeadDim, "qk_rope_head_dim"), v.Positive(args.VHeadDim, "v_head_dim"),
            v.Positive(args.CacheByteSize, "cache_byte_size"),
        ];
        v.Require(args.WeightByteSize is not null, "weight_byte_size is missing");
        v.Require(!args.Malformed.ContainsKey("q_lora_rank"), $"q_lora_rank must be an integer or null, not {args.Malformed.GetValueOrDefault("q_lora_rank")}");
        return v.Failure as ComponentOutcome ?? new ComponentOutcome.Created(new MlaAttentionMetrics(values, args.WeightByteSize!.Value, args.QLoraRank));
    }

    /// <summary>Builds the component from a resolved model config.</summary>
    public static ComponentOutcome From(ModelSource source) => From(Parsers.Parse(source));

    void IComponentMetrics.WriteInt64(Metric metric, in Batch ctx, Scope scope, ref TermBuffer terms) => WriteInt64(metric, ctx, scope, ref terms);

    void IComponentMetrics.WriteInt128(Metric metric, in Batch ctx, Scope scope, ref TermBuffer terms) => WriteInt128(metric, ctx, scope, ref terms);

    /// <inheritdoc />
    internal void WriteInt64(Metric metric, in Batch ctx, Scope scope, ref TermBuffer terms) => WriteCore<long>(metric, ctx, scope, ref terms);

    /// <inheritdoc />
    internal void WriteInt128(Metric metric, in Batch ctx, Scope scope, ref TermBuffer terms) => WriteCore<Int128>(metric, ctx, scope, ref terms);

    private void WriteCore<T>(Metric metric, in Batch ctx, Scope scope, ref TermBuffer terms)
        where T : IBinaryInteger<T>
    {
        var perGpu = scope == Scope.PerGpu;
        T l = T.CreateTruncating(perGpu ? PyMath.FloorDiv(Layers, PipelineParallel) : Layers);
        T q = T.CreateTruncating(perGpu ? Math.Max(1, PyMath.FloorDiv(Heads, TensorParallel)) : Heads);
        T hidden = T.CreateTruncating(HiddenSize), act = T.CreateTruncating(ActivationByteSize), cc = T.CreateTruncating(CacheByteSize);
        T c = T.CreateTruncating(KvLoraRank), r = T.CreateTruncating(QkRopeHeadDim), nope = T.CreateTruncating(QkNopeHeadDim);
        T v = T.CreateTruncating(VHeadDim), tokens = T.CreateTruncating(ctx.TotalTokens), two = T.CreateTruncating(2);
        var w = WeightByteSize;
        checked
        {
            var h = nope + r;
            switch (metric)
            {
                case Metric.Flops:
                    if (QLoraRank is { } rank)
                    {
                        var qr = T.CreateTruncating(rank);
                        Add(ref terms, "q_a_proj", two * tokens * hidden * qr * l);
                        Add(ref terms, "q_b_proj", two * tokens * qr * q * h * l);
                    }
                    else
                    {
                        Add(ref terms, "q_proj", two * tokens * hidden * q * h * l);
                    }

                    Add(ref terms, "kv_a_proj", two * tokens * hidden * (c + r) * l);
                    Add(ref terms, "kv_b_proj", two * tokens * c * q * (nope + v) * l);
                    var tc = T.CreateChecked(ctx.TotalTokenContextProduct);
                    Add(ref terms, "attn_qk", two * q * tc * h * l);
                    Add(ref terms, "attn_av", two * q * tc * v * l);
                    Add(ref terms, "out_proj", two * tokens * q * v * hidden * l);
                    break;
                case Metric.ReadBytes:
                    if (QLoraRank is { } rankRead)
                    {
                        var qr = T.CreateTruncating(rankRead);
                        Add(ref terms, "q_a_input", tokens * hidden * act * l);
                        Add(ref terms, "q_a_weight", w.Scale(hidden * qr, l));
                        Add(ref terms, "q_b_input", tokens * qr * act * l);
                        Add(ref terms, "q_b_weight", w.Scale(qr * q * h, l));
                    }
                    else
                    {
                        Add(ref terms, "q_input", tokens * hidden * act * l);
                        Add(ref terms, "q_weight", w.Scale(hidden * q * h, l));
                    }

                    Add(ref terms, "kv_a_input", tokens * hidden * act * l);
                    Add(ref terms, "kv_a_weight", w.Scale(hidden * (c + r), l));
                    Add(ref terms, "kv_b_input", tokens * c * act * l);
                    Add(ref terms, "kv_b_weight", w.Scale(c * q * (nope + v), l));
                    T prefill = T.CreateTruncating(ctx.PrefillTokens), decode = T.CreateTruncating(ctx.DecodeTokens);
                    if (!T.IsZero(prefill) || !T.IsZero(decode))
                    {
                        var input = T.Zero;
                        if (!T.IsZero(prefill))
                        {
                            input = (prefill * q * h * act * l) + (T.CreateTruncating(ctx.PrefillContextLength) * q * (h + v) * act * l);
                        }

                        if (!T.IsZero(decode))
                        {
                            input += (decode * q * h * act * l) + (T.CreateTruncating(ctx.DecodeContextLength) * (c + r) * cc * l);
                        }

                        Add(ref terms, "attn_input", input);
                    }

                    Add(ref terms, "out_input", tokens * q * v * act * l);
                    Add(ref terms, "out_weight", w.Scale(q * v * hidden, l));
                    break;
                default:
                    if (QLoraRank is { } rankWrite)
                    {
                        Add(ref terms, "q_a_output", tokens * T.CreateTruncating(rankWrite) * act * l);
                        Add(ref terms, "q_b_output", tokens * q * h * act * l);
                    }
                    else
                    {
                        Add(ref terms, "q_output", tokens * q * h * act * l);
                    }

                    Add(ref terms, "kv_a_output", tokens * (c + r) * act * l);
                    Add(ref terms, "kv_b_output", tokens * q * (nope + v) * act * l);
                    Add(ref terms, "kv_cache", tokens * (c + r) * cc * l);
                    Add(ref terms, "out_output", tokens * hidden * act * l);
                    break;
            }
        }
    }

    private static void Add<T>(ref TermBuffer terms, string term, T value)
        where T : IBinaryInteger<T> => terms.Add(Keys[term], Int128.CreateTruncating(value));
}

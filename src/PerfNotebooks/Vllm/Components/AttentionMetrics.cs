using System.Collections.Immutable;
using System.Numerics;
using PerfNotebooks.Internal;
using PerfNotebooks.Models;
using PerfNotebooks.Vllm.Parsers;

namespace PerfNotebooks.Vllm.Components;

/// <summary>
/// Attention (QKV projection, QKᵀ, attention × V, output projection) for a grouped-query attention model, as
/// vLLM's <c>AttentionMetrics</c>.
/// </summary>
/// <remarks>
/// Per GPU, layers are divided by the pipeline stages (floor), and query and KV heads by the tensor-parallel size
/// (floor, at least 1). Quirks kept from vLLM: an uneven layer split drops the remainder; attention FLOPs are the full
/// (non-causal) tokens × context product; prefill reads K and V at activation precision, decode at cache precision.
/// </remarks>
public sealed class AttentionMetrics : IComponentMetrics
{
    private static readonly TermKey QkvProj = new("attn", "qkv_proj");
    private static readonly TermKey AttnQk = new("attn", "attn_qk");
    private static readonly TermKey AttnAv = new("attn", "attn_av");
    private static readonly TermKey OutProj = new("attn", "out_proj");
    private static readonly TermKey QkvInput = new("attn", "qkv_input");
    private static readonly TermKey QkvWeight = new("attn", "qkv_weight");
    private static readonly TermKey AttnInput = new("attn", "attn_input");
    private static readonly TermKey OutInput = new("attn", "out_input");
    private static readonly TermKey OutWeight = new("attn", "out_weight");
    private static readonly TermKey QkvOutput = new("attn", "qkv_output");
    private static readonly TermKey KvCache = new("attn", "kv_cache");
    private static readonly TermKey OutOutput = new("attn", "out_output");

    /// <summary>The parsers that fill this component: base fields, attention fields, quantization.</summary>
    public static ParserChain Parsers { get; } =
        new(new BaseConfigParser(), new BaseAttentionConfigParser(), new QuantizationConfigParser());

    // Layers, query heads and KV heads billed at each scope, computed once (they do not depend on the batch).
    private readonly (long Layers, long Q, long Kv) _whole;
    private readonly (long Layers, long Q, long Kv) _perGpu;

    private AttentionMetrics(
        long layers, long hiddenSize, long heads, long activationBytes, long tensorParallel, long pipelineParallel,
        long kvHeads, long headDim, long cacheBytes, ByteSize weightSize)
    {
        Layers = layers;
        HiddenSize = hiddenSize;
        Heads = heads;
        ActivationByteSize = activationBytes;
        TensorParallel = tensorParallel;
        PipelineParallel = pipelineParallel;
        KvHeads = kvHeads;
        HeadDim = headDim;
        CacheByteSize = cacheBytes;
        WeightByteSize = weightSize;
        _whole = (layers, heads, kvHeads);
        _perGpu = (PyMath.FloorDiv(layers, pipelineParallel),
            Math.Max(1, PyMath.FloorDiv(heads, tensorParallel)), Math.Max(1, PyMath.FloorDiv(kvHeads, tensorParallel)));
    }

    /// <inheritdoc />
    public string Name => "attn";

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

    /// <summary>KV heads (all ranks).</summary>
    public long KvHeads { get; }

    /// <summary>Dimension of one head.</summary>
    public long HeadDim { get; }

    /// <summary>Bytes per KV-cache element.</summary>
    public long CacheByteSize { get; }

    /// <summary>Size of one weight element.</summary>
    public ByteSize WeightByteSize { get; }

    /// <inheritdoc />
    public ImmutableArray<ComponentField> Fields =>
    [
        new("num_hidden_layers", Layers), new("hidden_size", HiddenSize), new("num_attention_heads", Heads),
        new("activation_byte_size", ActivationByteSize), new("tp_size", TensorParallel), new("pp_size", PipelineParallel),
        new("num_key_value_heads", KvHeads), new("head_dim", HeadDim), new("cache_byte_size", CacheByteSize),
        new("weight_byte_size", WeightByteSize.Bytes),
    ];

    /// <summary>Builds the component from parsed args, validating every field (each must be greater than 0).</summary>
    public static ComponentOutcome From(ParsedArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Skip is { } skip)
        {
            return skip with { Name = "attn" };
        }

        var v = new FieldValidator("attn", args);
        var layers = v.Positive(args.NumHiddenLayers, "num_hidden_layers");
        var hidden = v.Positive(args.HiddenSize, "hidden_size");
        var heads = v.Positive(args.NumAttentionHeads, "num_attention_heads");
        var activation = v.Positive(args.ActivationByteSize, "activation_byte_size");
        var tp = v.Positive(args.TensorParallel, "tp_size");
        var pp = v.Positive(args.PipelineParallel, "pp_size");
        var kv = v.Positive(args.NumKeyValueHeads, "num_key_value_heads");
        var headDim = v.Positive(args.HeadDim, "head_dim");
        var cache = v.Positive(args.CacheByteSize, "cache_byte_size");
        v.Require(args.WeightByteSize is not null, "weight_byte_size is missing");
        return v.Failure as ComponentOutcome ?? new ComponentOutcome.Created(
            new AttentionMetrics(layers, hidden, heads, activation, tp, pp, kv, headDim, cache, args.WeightByteSize!.Value));
    }

    /// <summary>Builds the component from a resolved model config.</summary>
    public static ComponentOutcome From(ModelSource source) => From(Parsers.Parse(source));

    /// <inheritdoc />
    public void WriteInt64(Metric metric, in Batch ctx, Scope scope, ref TermBuffer terms) =>
        WriteCore<long>(metric, ctx, scope, ref terms);

    /// <inheritdoc />
    public void WriteInt128(Metric metric, in Batch ctx, Scope scope, ref TermBuffer terms) =>
        WriteCore<Int128>(metric, ctx, scope, ref terms);

    private void WriteCore<T>(Metric metric, in Batch ctx, Scope scope, ref TermBuffer terms)
        where T : IBinaryInteger<T>
    {
        var dims = scope == Scope.PerGpu ? _perGpu : _whole;
        T layers = T.CreateTruncating(dims.Layers), q = T.CreateTruncating(dims.Q), kv = T.CreateTruncating(dims.Kv);
        T d = T.CreateTruncating(HeadDim), hidden = T.CreateTruncating(HiddenSize);
        T act = T.CreateTruncating(ActivationByteSize), cache = T.CreateTruncating(CacheByteSize);
        T tokens = T.CreateTruncating(ctx.TotalTokens), two = T.CreateTruncating(2);
        checked
        {
            var qkvHeads = q + (two * kv);
            switch (metric)
            {
                case Metric.Flops:
                    var tc = T.CreateChecked(ctx.TotalTokenContextProduct);
                    var attention = two * q * tc * d * layers;
                    terms.Add(QkvProj, Int128.CreateTruncating(two * tokens * hidden * qkvHeads * d * layers));
                    terms.Add(AttnQk, Int128.CreateTruncating(attention));
                    terms.Add(AttnAv, Int128.CreateTruncating(attention));
                    terms.Add(OutProj, Int128.CreateTruncating(two * tokens * hidden * q * d * layers));
                    break;
                case Metric.ReadBytes:
                    terms.Add(QkvInput, Int128.CreateTruncating(tokens * hidden * act * layers));
                    terms.Add(QkvWeight, Int128.CreateTruncating(WeightByteSize.Scale(hidden * qkvHeads * d, layers)));
                    if (ctx.PrefillTokens > 0 || ctx.DecodeTokens > 0)
                    {
                        var input = T.Zero;
                        if (ctx.PrefillTokens > 0)
                        {
                            input += ((T.CreateTruncating(ctx.PrefillTokens) * q) + (two * T.CreateTruncating(ctx.PrefillContextLength) * kv)) * d * act * layers;
                        }

                        if (ctx.DecodeTokens > 0)
                        {
                            input += (T.CreateTruncating(ctx.DecodeTokens) * q * d * act * layers) +
                                     (two * T.CreateTruncating(ctx.DecodeContextLength) * kv * d * cache * layers);
                        }

                        terms.Add(AttnInput, Int128.CreateTruncating(input));
                    }

                    terms.Add(OutInput, Int128.CreateTruncating(tokens * q * d * act * layers));
                    terms.Add(OutWeight, Int128.CreateTruncating(WeightByteSize.Scale(q * d * hidden, layers)));
                    break;
                default:
                    terms.Add(QkvOutput, Int128.CreateTruncating(tokens * qkvHeads * d * act * layers));
                    terms.Add(KvCache, Int128.CreateTruncating(two * tokens * kv * d * cache * layers));
                    terms.Add(OutOutput, Int128.CreateTruncating(tokens * hidden * act * layers));
                    break;
            }
        }
    }
}

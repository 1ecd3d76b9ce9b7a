using System.Collections.Immutable;
using PerfNotebooks.Internal;
using PerfNotebooks.Models;
using PerfNotebooks.Vllm.Parsers;
using PerfNotebooks.Vllm.Stats;

namespace PerfNotebooks.Vllm.Components;

/// <summary>
/// Attention (QKV projection, output projection, QKᵀ, attention × V) with full and sliding-window layers, as vLLM
/// 2026-09's <c>AttentionMetrics</c> (upstream commit <c>00cee63e</c>).
/// </summary>
/// <remarks>
/// Layers split into <c>Lf</c> full and <c>Ls</c> sliding layers; sliding layers clamp each request's context to the
/// window. Quirks kept from upstream: layer counts are doubles and, per GPU, divided by the pipeline stages as a
/// fraction (<c>L / pp</c>, the average stage); every term is an exact integer product converted to an IEEE double,
/// multiplied by the layer count, summed in double and truncated, so large values carry double rounding (52 layers at
/// PP 3 bill 505430015 where the exact value is 505430016); attention FLOPs are non-causal; prefill reads K and V at
/// activation precision, decode at cache precision. Query and KV heads per GPU are floor-divided by TP (at least 1).
/// </remarks>
public sealed class SlidingWindowAttentionMetrics : IComponentMetrics
{
    private static readonly TermKey QkvProj = new("attn", "qkv_proj");
    private static readonly TermKey OutProj = new("attn", "out_proj");
    private static readonly TermKey AttnQk = new("attn", "attn_qk");
    private static readonly TermKey AttnAv = new("attn", "attn_av");
    private static readonly TermKey QkvInput = new("attn", "qkv_input");
    private static readonly TermKey QkvWeight = new("attn", "qkv_weight");
    private static readonly TermKey AttnInput = new("attn", "attn_input");
    private static readonly TermKey OutInput = new("attn", "out_input");
    private static readonly TermKey OutWeight = new("attn", "out_weight");
    private static readonly TermKey QkvOutput = new("attn", "qkv_output");
    private static readonly TermKey KvCache = new("attn", "kv_cache");
    private static readonly TermKey OutOutput = new("attn", "out_output");

    /// <summary>The parsers, in upstream's order: MLA guard, base fields (activations at the dtype), attention fields, window, quantization table.</summary>
    public static ParserChain Parsers { get; } = new(
        new AttentionDetectionParser(), new ModelDtypeBaseConfigParser(), new BaseAttentionConfigParser(),
        new SlidingWindowAttentionParser(), new QuantizationTableParser());

    private SlidingWindowAttentionMetrics(long[] v, ByteSize weightSize, long? window)
    {
        Layers = v[0];
        HiddenSize = v[1];
        Heads = v[2];
        ActivationByteSize = v[3];
        TensorParallel = v[4];
        PipelineParallel = v[5];
        KvHeads = v[6];
        HeadDim = v[7];
        CacheByteSize = v[8];
        SwaLayers = v[9];
        WeightByteSize = weightSize;
        SlidingWindow = window;
    }

    /// <inheritdoc />
    public string Name => "attn";

    /// <summary>Transformer layers (all stages).</summary>
    public long Layers { get; }

    /// <summary>Model width.</summary>
    public long HiddenSize { get; }

    /// <summary>Query heads (all ranks).</summary>
    public long Heads { get; }

    /// <summary>Bytes per activation element (the model dtype's size).</summary>
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

    /// <summary>The attention window in tokens, or null for none.</summary>
    public long? SlidingWindow { get; }

    /// <summary>Layers that use the window (all stages).</summary>
    public long SwaLayers { get; }

    /// <inheritdoc />
    public ImmutableArray<ComponentField> Fields =>
    [
        new("num_hidden_layers", Layers), new("hidden_size", HiddenSize), new("num_attention_heads", Heads),
        new("activation_byte_size", ActivationByteSize), new("tp_size", TensorParallel), new("pp_size", PipelineParallel),
        new("num_key_value_heads", KvHeads), new("head_dim", HeadDim), new("cache_byte_size", CacheByteSize),
        new("weight_byte_size", WeightByteSize.Bytes), new("sliding_window", SlidingWindow), new("num_swa_layers", SwaLayers),
    ];

    /// <summary>Builds the component from parsed args; every size must be greater than 0, the sliding layer count at least 0.</summary>
    public static ComponentOutcome From(ParsedArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Skip is { } skip)
        {
            return skip with { Name = "attn" };
        }

        var v = new FieldValidator("attn", args);
        long[] values =
        [
            v.Positive(args.NumHiddenLayers, "num_hidden_layers"), v.Positive(args.HiddenSize, "hidden_size"),
            v.Positive(args.NumAttentionHeads, "num_attention_heads"), v.Positive(args.ActivationByteSize, "activation_byte_size"),
            v.Positive(args.TensorParallel, "tp_size"), v.Positive(args.PipelineParallel, "pp_size"),
            v.Positive(args.NumKeyValueHeads, "num_key_value_heads"), v.Positive(args.HeadDim, "head_dim"),
            v.Positive(args.CacheByteSize, "cache_byte_size"), v.NonNegative(args.NumSwaLayers ?? 0, "num_swa_layers"),
        ];
        v.Require(args.WeightByteSize is not null, "weight_byte_size is missing");
        return v.Failure as ComponentOutcome ?? new ComponentOutcome.Created(
            new SlidingWindowAttentionMetrics(values, args.WeightByteSize!.Value, args.SlidingWindow));
    }

    /// <summary>Builds the component from a resolved model config.</summary>
    public static ComponentOutcome From(ModelSource source) => From(Parsers.Parse(source));

    /// <inheritdoc />
    public void WriteInt64(Metric metric, in Batch ctx, Scope scope, ref TermBuffer terms) => WriteInt128(metric, ctx, scope, ref terms);

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">Sliding layers and a batch set up from sums alone (no requests to clamp).</exception>
    public void WriteInt128(Metric metric, in Batch ctx, Scope scope, ref TermBuffer terms)
    {
        // Implementation note: upstream's _layer_counts: L_full = L - L_swa before the division by pp.
        double l = Layers, ls = SwaLayers, lf = l - ls;
        Int128 q = Heads, kv = KvHeads;
        if (scope == Scope.PerGpu)
        {
            l /= PipelineParallel;
            ls /= PipelineParallel;
            lf /= PipelineParallel;
            q = Math.Max(1, PyMath.FloorDiv(Heads, TensorParallel));
            kv = Math.Max(1, PyMath.FloorDiv(KvHeads, TensorParallel));
        }

        Int128 d = HeadDim, hidden = HiddenSize, act = ActivationByteSize, cache = CacheByteSize, tokens = ctx.TotalTokens;
        var w = WeightByteSize.Bits / 8.0;
        checked
        {
            switch (metric)
            {
                case Metric.Flops:
                    terms.Add(QkvProj, Int(F(2 * tokens * hidden * (q + (2 * kv)) * d) * l));
                    terms.Add(OutProj, Int(F(2 * tokens * hidden * q * d) * l));
                    var attention = 0.0;
                    if (lf > 0)
                    {
                        attention += F(2 * q * ctx.TotalTokenContextProduct * d) * lf;
                    }

                    if (ls > 0 && SlidingWindow is { } window)
                    {
                        attention += F(2 * q * ctx.WindowedTokenContextProduct(window) * d) * ls;
                    }

                    terms.Add(AttnQk, Int(attention));
                    terms.Add(AttnAv, Int(attention));
                    break;
                case Metric.ReadBytes:
                    terms.Add(QkvInput, Int(F(tokens * hidden * act) * l));
                    terms.Add(QkvWeight, Int(F(hidden * (q + (2 * kv)) * d) * w * l));
                    Int128 prefill = ctx.PrefillTokens, decode = ctx.DecodeTokens;
                    var input = 0.0;
                    if (lf > 0)
                    {
                        input = AddAttentionInput(input, prefill, decode, ctx.PrefillContextLength, ctx.DecodeContextLength, q, kv, d, act, cache, lf);
                    }

                    if (ls > 0)
                    {
                        // Implementation note: upstream passes the window even when it is None here (then unclamped sums).
                        var pcs = SlidingWindow is { } sw ? ctx.WindowedContextLength(sw, prefill: true) : ctx.PrefillContextLength;
                        var dcs = SlidingWindow is { } sw2 ? ctx.WindowedContextLength(sw2, prefill: false) : ctx.DecodeContextLength;
                        input = AddAttentionInput(input, prefill, decode, pcs, dcs, q, kv, d, act, cache, ls);
                    }

                    if (prefill > 0 || decode > 0)
                    {
                        terms.Add(AttnInput, Int(input));
                    }

                    terms.Add(OutInput, Int(F(tokens * q * d * act) * l));
                    terms.Add(OutWeight, Int(F(q * d * hidden) * w * l));
                    break;
                default:
                    terms.Add(QkvOutput, Int(F(tokens * (q + (2 * kv)) * d * act) * l));
                    terms.Add(KvCache, Int(F(2 * tokens * kv * d * cache) * l));
                    terms.Add(OutOutput, Int(F(tokens * hidden * act) * l));
                    break;
            }
        }
    }

    // Upstream: acc += (P·q + 2·Pc·kv)·d·a·L (prefill); acc += (Dn·q·d·a·L + 2·Dc·kv·d·c·L) (decode), in that order.
    private static double AddAttentionInput(
        double acc, Int128 prefill, Int128 decode, Int128 prefillContext, Int128 decodeContext,
        Int128 q, Int128 kv, Int128 d, Int128 act, Int128 cache, double layers)
    {
        checked
        {
            if (prefill > 0)
            {
                acc += F(((prefill * q) + (2 * prefillContext * kv)) * d * act) * layers;
            }

            if (decode > 0)
            {
                acc += (F(decode * q * d * act) * layers) + (F(2 * decodeContext * kv * d * cache) * layers);
            }

            return acc;
        }
    }

    private static double F(Int128 value) => PyFloat.FromInt(value);

    private static Int128 Int(double value) => Int128.CreateChecked(Math.Truncate(value));
}

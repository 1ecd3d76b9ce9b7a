using System.Collections.Immutable;
using System.Numerics;
using PerfNotebooks.Internal;
using PerfNotebooks.Models;
using PerfNotebooks.Vllm.Parsers;
namespace PerfNotebooks.Vllm.Components;

/// <summary>
/// Attention (QKV projection, QKᵀ, attention × V, output projection) for a grouped-query attention model with full
/// and sliding-window layers, as vLLM's <c>AttentionMetrics</c>; what a revision does differently is its
/// <see cref="Accounting"/>.
/// </summary>
/// <remarks>
/// Query and KV heads per GPU are floor-divided by the tensor-parallel size (at least 1). Quirks kept from vLLM:
/// attention FLOPs are the full (non-causal) tokens × context product; prefill reads K and V at activation precision,
/// decode at cache precision. Revision 2025-12 floor-divides layers by the pipeline stages (an uneven split drops the
/// remainder) and counts in exact integers. Revision 2026-09 splits layers into <c>Lf</c> full and <c>Ls</c> sliding
/// layers (which clamp each request's context to the window), divides them by the stages as a fraction, and converts
/// every exact integer product to an IEEE double before multiplying by the layer count, summing in double and
/// truncating, so large values carry double rounding (52 layers at PP 3 bill 505430015 where the exact value is 505430016).
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

    // Layers, query heads and KV heads billed at each scope, computed once (they do not depend on the batch).
    private readonly (long Layers, long Q, long Kv) _whole;
    private readonly (long Layers, long Q, long Kv) _perGpu;

    private AttentionMetrics(long[] v, ByteSize weightSize, long? window, AttentionAccounting accounting)
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
        Accounting = accounting;
        _whole = (Layers, Heads, KvHeads);
        _perGpu = (PyMath.FloorDiv(Layers, PipelineParallel),
            Math.Max(1, PyMath.FloorDiv(Heads, TensorParallel)), Math.Max(1, PyMath.FloorDiv(KvHeads, TensorParallel)));
    }

    /// <summary>vLLM 2025-12's parsers (<see cref="AttentionAccounting.Revision202512"/>): base fields, attention fields, quantization.</summary>
    internal static ParserChain Parsers => AttentionAccounting.Revision202512.Parsers;

    /// <inheritdoc />
    public string Name => "attn";

    /// <summary>How this revision of vLLM counts attention: its parsers and its layer arithmetic.</summary>
    internal AttentionAccounting Accounting { get; }

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

    /// <summary>The attention window in tokens, or null for none (always null in revision 2025-12).</summary>
    public long? SlidingWindow { get; }

    /// <summary>Layers that use the window (all stages; 0 in revision 2025-12).</summary>
    public long SwaLayers { get; }

    /// <inheritdoc />
    public ImmutableArray<ComponentField> Fields =>
        Accounting.AverageStage
            ? [.. CommonFields, new("sliding_window", SlidingWindow), new("num_swa_layers", SwaLayers)]
            : CommonFields;

    private ImmutableArray<ComponentField> CommonFields =>
    [
        new("num_hidden_layers", Layers), new("hidden_size", HiddenSize), new("num_attention_heads", Heads),
        new("activation_byte_size", ActivationByteSize), new("tp_size", TensorParallel), new("pp_size", PipelineParallel),
        new("num_key_value_heads", KvHeads), new("head_dim", HeadDim), new("cache_byte_size", CacheByteSize),
        new("weight_byte_size", WeightByteSize.Bytes),
    ];

    /// <summary>Builds vLLM 2025-12's component from parsed args, validating every field (each must be greater than 0).</summary>
    internal static ComponentOutcome From(ParsedArgs args) => From(args, AttentionAccounting.Revision202512);

    /// <summary>Builds the component from parsed args; every size must be greater than 0, the sliding layer count at least 0.</summary>
    internal static ComponentOutcome From(ParsedArgs args, AttentionAccounting accounting)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(accounting);
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
            new AttentionMetrics(values, args.WeightByteSize!.Value, args.SlidingWindow, accounting));
    }

    /// <summary>Builds vLLM 2025-12's component from a resolved model config.</summary>
    public static ComponentOutcome From(ModelSource source) => From(source, AttentionAccounting.Revision202512);

    /// <summary>Builds the component of <paramref name="accounting"/>'s revision from a resolved model config.</summary>
    internal static ComponentOutcome From(ModelSource source, AttentionAccounting accounting)
    {
        ArgumentNullException.ThrowIfNull(accounting);
        return From(accounting.Parsers.Parse(source), accounting);
    }

    void IComponentMetrics.WriteInt64(Metric metric, in Batch ctx, Scope scope, ref TermBuffer terms) => WriteInt64(metric, ctx, scope, ref terms);

    void IComponentMetrics.WriteInt128(Metric metric, in Batch ctx, Scope scope, ref TermBuffer terms) => WriteInt128(metric, ctx, scope, ref terms);

    /// <inheritdoc />
    internal void WriteInt64(Metric metric, in Batch ctx, Scope scope, ref TermBuffer terms)
    {
        if (Accounting.AverageStage)
        {
            WriteAverageStage<long>(metric, ctx, scope, ref terms);
        }
        else
        {
            WriteWholeStage<long>(metric, ctx, scope, ref terms);
        }
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">Sliding layers and a batch set up from sums alone (no requests to clamp).</exception>
    internal void WriteInt128(Metric metric, in Batch ctx, Scope scope, ref TermBuffer terms)
    {
        if (Accounting.AverageStage)
        {
            WriteAverageStage<Int128>(metric, ctx, scope, ref terms);
        }
        else
        {
            WriteWholeStage<Int128>(metric, ctx, scope, ref terms);
        }
    }

    private void WriteWholeStage<T>(Metric metric, in Batch ctx, Scope scope, ref TermBuffer terms)
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

    // Implementation note: T is long first (every product checked; an overflow makes the caller retry in Int128), so
    // the usual step converts 64-bit products, which .NET rounds to the nearest double exactly as Python's float(int).
    private void WriteAverageStage<T>(Metric metric, in Batch ctx, Scope scope, ref TermBuffer terms)
        where T : IBinaryInteger<T>
    {
        // Upstream's _layer_counts: L_full = L - L_swa before the division by pp.
        double l = Layers, ls = SwaLayers, lf = l - ls;
        var dims = _whole;
        if (scope == Scope.PerGpu)
        {
            l /= PipelineParallel;
            ls /= PipelineParallel;
            lf /= PipelineParallel;
            dims = _perGpu;
        }

        T q = T.CreateTruncating(dims.Q), kv = T.CreateTruncating(dims.Kv);
        T d = T.CreateTruncating(HeadDim), hidden = T.CreateTruncating(HiddenSize);
        T act = T.CreateTruncating(ActivationByteSize), cache = T.CreateTruncating(CacheByteSize);
        T tokens = T.CreateTruncating(ctx.TotalTokens), two = T.CreateTruncating(2);
        var w = WeightByteSize.Bits / 8.0;
        checked
        {
            var qkvHeads = q + (two * kv);
            switch (metric)
            {
                case Metric.Flops:
                    terms.Add(QkvProj, Int(F(two * tokens * hidden * qkvHeads * d) * l));
                    terms.Add(OutProj, Int(F(two * tokens * hidden * q * d) * l));
                    var attention = 0.0;
                    if (lf > 0)
                    {
                        attention += F(two * q * T.CreateChecked(ctx.TotalTokenContextProduct) * d) * lf;
                    }

                    if (ls > 0 && SlidingWindow is { } window)
                    {
                        attention += F(two * q * T.CreateChecked(ctx.WindowedTokenContextProduct(window)) * d) * ls;
                    }

                    terms.Add(AttnQk, Int(attention));
                    terms.Add(AttnAv, Int(attention));
                    break;
                case Metric.ReadBytes:
                    terms.Add(QkvInput, Int(F(tokens * hidden * act) * l));
                    terms.Add(QkvWeight, Int(F(hidden * qkvHeads * d) * w * l));
                    T prefill = T.CreateTruncating(ctx.PrefillTokens), decode = T.CreateTruncating(ctx.DecodeTokens);
                    var input = 0.0;
                    if (lf > 0)
                    {
                        input = AddAttentionInput(input, prefill, decode, T.CreateChecked(ctx.PrefillContextLength), T.CreateChecked(ctx.DecodeContextLength), q, kv, d, act, cache, lf);
                    }

                    if (ls > 0)
                    {
                        // Implementation note: upstream passes the window even when it is None here (then unclamped sums).
                        var pcs = SlidingWindow is { } sw ? ctx.WindowedContextLength(sw, prefill: true) : ctx.PrefillContextLength;
                        var dcs = SlidingWindow is { } sw2 ? ctx.WindowedContextLength(sw2, prefill: false) : ctx.DecodeContextLength;
                        input = AddAttentionInput(input, prefill, decode, T.CreateChecked(pcs), T.CreateChecked(dcs), q, kv, d, act, cache, ls);
                    }

                    if (ctx.PrefillTokens > 0 || ctx.DecodeTokens > 0)
                    {
                        terms.Add(AttnInput, Int(input));
                    }

                    terms.Add(OutInput, Int(F(tokens * q * d * act) * l));
                    terms.Add(OutWeight, Int(F(q * d * hidden) * w * l));
                    break;
                default:
                    terms.Add(QkvOutput, Int(F(tokens * qkvHeads * d * act) * l));
                    terms.Add(KvCache, Int(F(two * tokens * kv * d * cache) * l));
                    terms.Add(OutOutput, Int(F(tokens * hidden * act) * l));
                    break;
            }
        }
    }

    // Upstream: acc += (P·q + 2·Pc·kv)·d·a·L (prefill); acc += (Dn·q·d·a·L + 2·Dc·kv·d·c·L) (decode), in that order.
    private static double AddAttentionInput<T>(
        double acc, T prefill, T decode, T prefillContext, T decodeContext, T q, T kv, T d, T act, T cache, double layers)
        where T : IBinaryInteger<T>
    {
        var two = T.CreateTruncating(2);
        checked
        {
            if (prefill > T.Zero)
            {
                acc += F(((prefill * q) + (two * prefillContext * kv)) * d * act) * layers;
            }

            if (decode > T.Zero)
            {
                acc += (F(decode * q * d * act) * layers) + (F(two * decodeContext * kv * d * cache) * layers);
            }

            return acc;
        }
    }

    // Python's float(int): round to nearest, ties to even. A long converts in one instruction with that rounding.
    private static double F<T>(T value)
        where T : IBinaryInteger<T> =>
        typeof(T) == typeof(long) ? long.CreateTruncating(value) : PyFloat.FromInt(Int128.CreateTruncating(value));

    private static Int128 Int(double value) => Int128.CreateChecked(Math.Truncate(value));
}

using System.Collections.Immutable;
using PerfNotebooks.Hardware;
using PerfNotebooks.Physical.Kernels;

namespace PerfNotebooks.Physical;

/// <summary>
/// What the GPUs of one replica execute for a step, operation by operation, and how long it takes: expected (an
/// <see cref="IKernelTimer"/> plus <see cref="EngineOverhead"/>) and the roofline bound. Immutable and thread-safe;
/// <see cref="Estimate"/> allocates nothing, for sweeps.
/// </summary>
/// <remarks>
/// A step passes through every pipeline stage, so calls count every layer of the model (the stages' sum) plus PP−1
/// stage transfers: the time of a step is the time per output token of its decodes. The batch is one DP rank's (each
/// DP replica holds the whole TP-sharded model and runs its own batch); MoE layers see the tokens of every DP rank.
/// Prefill attention is causal (about half the score matrix); logits are computed for sampled tokens only.
/// MLA attention is timed as one KV head of size <c>kv_lora_rank + qk_rope_head_dim</c> (K and V both read: the bytes
/// are an upper bound).
/// </remarks>
public sealed class StepModel
{
    private readonly double _bandwidth;
    private readonly LinkModel _link;
    private readonly double[] _peaks;

    /// <summary>Prepares steps of <paramref name="model"/> on <paramref name="gpu"/>.</summary>
    /// <param name="model">The physical model.</param>
    /// <param name="gpu">The GPU (every GPU of the layout is one of these).</param>
    /// <param name="timer">Kernel timer for the expected time; null takes <see cref="Kernels.KernelTimers.Expected"/> (fitted curves; roofline for uncalibrated GPUs).</param>
    /// <param name="overhead">Engine overhead; null takes <see cref="EngineOverhead.Vllm"/>.</param>
    /// <param name="routingImbalance">MoE: tokens the busiest expert-parallel rank receives ÷ the mean (≥ 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">The imbalance is below 1.</exception>
    public StepModel(PhysicalModel model, GpuSpec gpu, IKernelTimer? timer = null, EngineOverhead? overhead = null, double routingImbalance = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(gpu);
        ArgumentOutOfRangeException.ThrowIfLessThan(routingImbalance, 1);
        Model = model;
        Gpu = gpu;
        Timer = timer ?? Kernels.KernelTimers.Expected(gpu);
        Overhead = overhead ?? EngineOverhead.Vllm;
        RoutingImbalance = routingImbalance;
        _bandwidth = gpu.MemoryBytesPerSecond;
        _link = LinkModel.For(gpu);
        _peaks = [.. Enum.GetValues<KernelDtype>().Select(d => gpu.Peak(KernelWork.ComputeFor(d, gpu)))];
    }

    /// <summary>The model.</summary>
    public PhysicalModel Model { get; }

    /// <summary>The GPU.</summary>
    public GpuSpec Gpu { get; }

    /// <summary>The kernel timer behind the expected time.</summary>
    public IKernelTimer Timer { get; }

    /// <summary>The engine overhead added per step.</summary>
    public EngineOverhead Overhead { get; }

    /// <summary>MoE routing imbalance (1 = perfectly even).</summary>
    public double RoutingImbalance { get; }

    /// <summary>Every operation of the step, in execution order (one entry per kind; <see cref="PhysicalOperation.Calls"/> says how often).</summary>
    /// <param name="batch">One DP rank's batch.</param>
    /// <param name="sampledTokens">Tokens whose logits are computed; null: one per request.</param>
    public ImmutableArray<PhysicalOperation> Operations(in Batch batch, long? sampledTokens = null)
    {
        var collector = new Collector { Ops = ImmutableArray.CreateBuilder<PhysicalOperation>() };
        Walk(batch, sampledTokens ?? batch.TotalRequests, ref collector);
        return collector.Ops.ToImmutable();
    }

    /// <summary>Expected time and roofline bound of the step.</summary>
    /// <param name="batch">One DP rank's batch.</param>
    /// <param name="sampledTokens">Tokens whose logits are computed; null: one per request.</param>
    public StepTime Estimate(in Batch batch, long? sampledTokens = null)
    {
        var t = batch.TotalTokens;
        var sampled = sampledTokens ?? batch.TotalRequests;
        var timing = new Timing { Owner = this };
        if (t > 0)
        {
            // Implementation note: sweeps and the serving simulator repeat token counts; the operations whose shapes
            // depend only on the token count (projections, FFN, MoE, norms, collectives) and on the sampled count
            // (logits, sampling) are timed once per thread and reused.
            var cache = _cache ??= new StepCache();
            if (!ReferenceEquals(cache.Owner, this) || cache.Tokens != t)
            {
                var tokenOnly = new Timing { Owner = this };
                WalkBeforeAttention(t, ref tokenOnly);
                WalkAfterAttention(t, ref tokenOnly);
                cache.TokenPart = tokenOnly;
                cache.Tokens = t;
                cache.Sampled = -1;
                cache.Owner = this;
            }

            if (cache.Sampled != sampled)
            {
                var head = new Timing { Owner = this };
                WalkHead(sampled, ref head);
                cache.HeadPart = head;
                cache.Sampled = sampled;
            }

            WalkAttention(batch, ref timing);
            timing.Merge(cache.TokenPart);
            timing.Merge(cache.HeadPart);
        }

        var overhead = batch.TotalTokens == 0 ? 0 : Overhead.Seconds(batch.TotalRequests);
        return new StepTime(timing.Expected + overhead, timing.Bound, timing.Communication, overhead, timing.Flops, timing.Bytes);
    }

    /// <summary>The step's roofline bound alone (<see cref="StepTime.BoundSeconds"/> of <see cref="Estimate"/>), without
    /// consulting the kernel timer.</summary>
    /// <param name="batch">One DP rank's batch.</param>
    /// <param name="sampledTokens">Tokens whose logits are computed; null: one per request.</param>
    public double BoundSeconds(in Batch batch, long? sampledTokens = null)
    {
        var t = batch.TotalTokens;
        if (t == 0)
        {
            return 0;
        }

        // Summed in the grouping Estimate uses (attention, then the token-count part, then the head), so both give
        // the same double.
        var attention = new BoundOnly { Owner = this };
        WalkAttention(batch, ref attention);
        var tokenOnly = new BoundOnly { Owner = this };
        WalkBeforeAttention(t, ref tokenOnly);
        WalkAfterAttention(t, ref tokenOnly);
        var head = new BoundOnly { Owner = this };
        WalkHead(sampledTokens ?? batch.TotalRequests, ref head);
        return attention.Seconds + tokenOnly.Seconds + head.Seconds;
    }

    /// <summary>The roofline bound of one call of <paramref name="op"/>, seconds.</summary>
    public double BoundSecondsPerCall(in PhysicalOperation op) => op.Kind switch
    {
        OperationKind.AllReduce => op.Gpus <= 1 ? 0 : _link.BoundSeconds(2.0 * (op.Gpus - 1) / op.Gpus * op.BytesPerCall),
        OperationKind.AllToAll or OperationKind.SendReceive => _link.BoundSeconds(op.BytesPerCall),
        _ => Math.Max(op.FlopsPerCall / _peaks[(int)op.Dtype], op.BytesPerCall / _bandwidth),
    };

    /// <summary>Expected distinct experts that <paramref name="tokens"/> tokens routed to <paramref name="topK"/> of
    /// <paramref name="experts"/> experts each touch: E·(1 − (1 − k/E)^tokens).</summary>
    public static double ExpectedExpertsTouched(long experts, long topK, double tokens) =>
        experts <= 0 || tokens <= 0 ? 0 : experts * (1 - Math.Pow(1 - ((double)Math.Min(topK, experts) / experts), tokens));

    /// <summary>Physical FLOPs and bytes of one causal prefill attention call on one GPU.</summary>
    public static (double Flops, double Bytes) PrefillAttentionCost(long batch, long tokens, long contextLength, AttentionShape shape)
    {
        var window = shape.Window > 0 ? shape.Window : long.MaxValue;
        var pairs = SumMin(contextLength - tokens + 1, contextLength, window);
        var flops = 4.0 * shape.Heads * shape.HeadDim * batch * pairs;
        var kvPerToken = 2.0 * shape.KvHeads * shape.HeadDim * Bytes(shape.KvDtype);
        var qo = 2.0 * batch * tokens * shape.Heads * shape.HeadDim * Bytes(shape.Dtype);
        var bytes = qo + (batch * Math.Min(contextLength, window) * kvPerToken) + (batch * tokens * kvPerToken);
        return (flops, bytes);
    }

    /// <summary>Physical FLOPs and bytes of one decode attention call on one GPU.</summary>
    public static (double Flops, double Bytes) DecodeAttentionCost(long batch, long contextLength, AttentionShape shape)
    {
        var attended = shape.Window > 0 ? Math.Min(contextLength, shape.Window) : contextLength;
        var kvPerToken = 2.0 * shape.KvHeads * shape.HeadDim * Bytes(shape.KvDtype);
        var flops = 4.0 * shape.Heads * shape.HeadDim * batch * attended;
        var bytes = (batch * (attended + 1) * kvPerToken) + (2.0 * batch * shape.Heads * shape.HeadDim * Bytes(shape.Dtype));
        return (flops, bytes);
    }

    /// <summary>Physical FLOPs and bytes of one fused MoE layer on one GPU for <paramref name="tokens"/> tokens entering
    /// the layer: the experts on this GPU that the tokens touch are read once; each token's top-k pairs are spread evenly.</summary>
    public static (double Flops, double Bytes) MoeCost(long tokens, MoeShape shape, double weightBits)
    {
        var ep = Math.Max(1, shape.ExpertParallel);
        var tp = Math.Max(1, shape.TensorParallel);
        var touched = ExpectedExpertsTouched(shape.Experts, shape.TopK, tokens) / ep;
        var expertWeights = 3.0 * shape.HiddenSize * shape.IntermediateSize / tp;
        var pairs = (double)tokens * shape.TopK / ep;
        var flops = 2.0 * pairs * expertWeights;
        var bytes = (touched * expertWeights * weightBits / 8) + (pairs * 2.0 * ((2.0 * shape.HiddenSize) + (3.0 * shape.IntermediateSize / tp)));
        return (flops, bytes);
    }

    private static double Bytes(KernelDtype dtype) => KernelWork.WeightBytes(dtype);

    // Σ min(p, w) for p in [first, last].
    private static double SumMin(long first, long last, long window)
    {
        first = Math.Max(1, first);
        if (last < first)
        {
            return 0;
        }

        static double Sum(long a, long b) => b < a ? 0 : (a + (double)b) * (b - a + 1) / 2;
        return window >= last ? Sum(first, last)
            : window < first ? (double)window * (last - first + 1)
            : Sum(first, window) + ((double)window * (last - window));
    }

    private static PhysicalOperation Gemm(string name, long calls, long m, long n, long k, WeightFormat format, int activationBytes) => new()
    {
        Name = name,
        Kind = OperationKind.Gemm,
        Calls = calls,
        M = m,
        N = n,
        K = k,
        Dtype = format.Dtype,
        FlopsPerCall = 2.0 * m * n * k,
        BytesPerCall = format.Bytes((double)n * k) + ((double)activationBytes * m * (n + k)),
    };

    private static PhysicalOperation Elementwise(string name, long calls, double bytes, KernelDtype dtype) => new()
    {
        Name = name,
        Kind = OperationKind.Elementwise,
        Calls = calls,
        Dtype = dtype,
        BytesPerCall = bytes,
    };

    private void Walk<TVisitor>(in Batch batch, long sampled, ref TVisitor v)
        where TVisitor : struct, IVisitor
    {
        var t = batch.TotalTokens;
        if (t == 0)
        {
            return;
        }

        WalkBeforeAttention(t, ref v);
        WalkAttention(batch, ref v);
        WalkAfterAttention(t, ref v);
        WalkHead(sampled, ref v);
    }

    // Operations whose shapes depend only on the step's token count.
    private void WalkBeforeAttention<TVisitor>(long t, ref TVisitor v)
        where TVisitor : struct, IVisitor
    {
        var m = Model;
        var ab = m.ActivationBytes;
        var h = m.HiddenSize;
        var tp = m.TensorParallel;
        var layers = m.Layers;
        var act = m.ActivationDtype;
        var hidden = (double)t * h * ab;

        v.Add(Elementwise("embed", 1, 2 * hidden, act));
        v.Add(Elementwise("norm", 2 * layers, (4 * hidden) + (h * ab), act));

        var heads = m.HeadsPerGpu;
        long kvHeads, headDim;
        if (m.IsMla)
        {
            v.Add(Gemm("attn.qkv", layers, t, (m.QLoraRank > 0 ? m.QLoraRank : 0) + m.KvLoraRank + m.RopeHeadDim + (heads * (m.NopeHeadDim + m.RopeHeadDim)), m.QLoraRank > 0 ? h : h, m.LinearFormat, ab));
            kvHeads = 1;
            headDim = m.KvLoraRank + m.RopeHeadDim;
        }
        else
        {
            v.Add(Gemm("attn.qkv", layers, t, (heads + (2 * m.KvHeadsPerGpu)) * m.HeadDim, h, m.LinearFormat, ab));
            kvHeads = m.KvHeadsPerGpu;
            headDim = m.HeadDim;
        }

        v.Add(Elementwise("rotary", layers, 2.0 * t * (heads + kvHeads) * headDim * ab, act));
    }

    private (long KvHeads, long HeadDim) AttentionHeads() =>
        Model.IsMla ? (1, Model.KvLoraRank + Model.RopeHeadDim) : (Model.KvHeadsPerGpu, Model.HeadDim);

    private void WalkAttention<TVisitor>(in Batch batch, ref TVisitor v)
        where TVisitor : struct, IVisitor
    {
        var heads = Model.HeadsPerGpu;
        var (kvHeads, headDim) = AttentionHeads();
        if (batch.PrefillRequests > 0)
        {
            var requests = batch.PrefillRequests;
            var tokens = (batch.PrefillTokens + requests - 1) / requests;
            var context = Math.Max(tokens, batch.PrefillContextLength / requests);
            Attention(ref v, "attn.prefill", OperationKind.PrefillAttention, requests, tokens, context, heads, kvHeads, headDim);
        }

        if (batch.DecodeRequests > 0)
        {
            var requests = batch.DecodeRequests;
            var context = Math.Max(1, batch.DecodeContextLength / requests);
            Attention(ref v, "attn.decode", OperationKind.DecodeAttention, requests, 1, context, heads, kvHeads, headDim);
        }
    }

    private void WalkAfterAttention<TVisitor>(long t, ref TVisitor v)
        where TVisitor : struct, IVisitor
    {
        var m = Model;
        var ab = m.ActivationBytes;
        var h = m.HiddenSize;
        var tp = m.TensorParallel;
        var layers = m.Layers;
        var act = m.ActivationDtype;
        var hidden = (double)t * h * ab;
        var heads = m.HeadsPerGpu;

        v.Add(Gemm("attn.out", layers, t, h, heads * (m.IsMla ? m.VHeadDim : m.HeadDim), m.LinearFormat, ab));
        if (tp > 1)
        {
            v.Add(new PhysicalOperation { Name = "tp.all_reduce", Kind = OperationKind.AllReduce, Calls = 2 * layers, Gpus = tp, BytesPerCall = hidden, Dtype = act });
        }

        if (m.DenseLayers > 0 && m.DenseIntermediateSize > 0)
        {
            var inter = m.DenseIntermediateSize / tp;
            v.Add(Gemm("ffn.gate_up", m.DenseLayers, t, 2 * inter, h, m.LinearFormat, ab));
            v.Add(Elementwise("ffn.act", m.DenseLayers, 3.0 * t * inter * ab, act));
            v.Add(Gemm("ffn.down", m.DenseLayers, t, h, inter, m.LinearFormat, ab));
        }

        if (m.MoeLayers > 0)
        {
            var moeTokens = checked(t * m.DataParallel);
            v.Add(Gemm("moe.router", m.MoeLayers, t, m.Experts, h, m.EmbeddingFormat, ab));
            var shape = new MoeShape((int)h, (int)m.ExpertIntermediateSize, (int)m.TopK, (int)m.Experts, m.ExpertTensorParallel, m.ExpertParallel, m.ExpertFormat.Dtype);
            var routed = (long)Math.Ceiling(moeTokens * RoutingImbalance);
            var (flops, bytes) = MoeCost(routed, shape, m.ExpertFormat.BitsPerWeight);
            v.Add(new PhysicalOperation { Name = "moe.experts", Kind = OperationKind.Moe, Calls = m.MoeLayers, M = routed, Moe = shape, Dtype = m.ExpertFormat.Dtype, FlopsPerCall = flops, BytesPerCall = bytes });
            if (m.SharedIntermediateSize > 0)
            {
                var inter = m.SharedIntermediateSize / tp;
                v.Add(Gemm("moe.shared_gate_up", m.MoeLayers, t, 2 * inter, h, m.LinearFormat, ab));
                v.Add(Gemm("moe.shared_down", m.MoeLayers, t, h, inter, m.LinearFormat, ab));
            }

            if (m.ExpertParallel > 1)
            {
                var ep = m.ExpertParallel;
                var sent = (double)t * m.TopK * h * ab * (ep - 1) / ep;
                v.Add(new PhysicalOperation { Name = "ep.all_to_all", Kind = OperationKind.AllToAll, Calls = 2 * m.MoeLayers, Gpus = ep, BytesPerCall = sent, Dtype = act });
            }
        }

        if (m.PipelineParallel > 1)
        {
            v.Add(new PhysicalOperation { Name = "pp.send_recv", Kind = OperationKind.SendReceive, Calls = m.PipelineParallel - 1, Gpus = 2, BytesPerCall = 2 * hidden, Dtype = act });
        }

    }

    private void WalkHead<TVisitor>(long sampled, ref TVisitor v)
        where TVisitor : struct, IVisitor
    {
        var m = Model;
        var ab = m.ActivationBytes;
        var h = m.HiddenSize;
        var act = m.ActivationDtype;
        if (sampled > 0)
        {
            v.Add(Elementwise("final_norm", 1, 2.0 * sampled * h * ab, act));
            v.Add(Gemm("lm_head", 1, sampled, m.VocabSize / m.TensorParallel, h, m.EmbeddingFormat, ab));
            v.Add(Elementwise("sampling", 1, 3.0 * sampled * m.VocabSize * 4, KernelDtype.Fp32));
        }
    }

    private void Attention<TVisitor>(ref TVisitor v, string name, OperationKind kind, long requests, long tokens, long context, long heads, long kvHeads, long headDim)
        where TVisitor : struct, IVisitor
    {
        var m = Model;
        void One(ref TVisitor visitor, string opName, long calls, long window)
        {
            if (calls <= 0)
            {
                return;
            }

            var shape = new AttentionShape((int)heads, (int)kvHeads, (int)headDim, m.ActivationDtype, m.KvDtype, (int)window);
            var (flops, bytes) = kind == OperationKind.PrefillAttention
                ? PrefillAttentionCost(requests, tokens, context, shape)
                : DecodeAttentionCost(requests, context, shape);
            visitor.Add(new PhysicalOperation { Name = opName, Kind = kind, Calls = calls, M = requests, N = tokens, K = context, Attention = shape, Dtype = m.ActivationDtype, FlopsPerCall = flops, BytesPerCall = bytes });
        }

        One(ref v, name, m.FullLayers, 0);
        One(ref v, name + ".window", m.SlidingLayers, m.Window);
    }

    [ThreadStatic]
    private static StepCache? _cache;

    private sealed class StepCache
    {
        public StepModel? Owner;
        public long Tokens = -1;
        public long Sampled = -1;
        public Timing TokenPart;
        public Timing HeadPart;
    }

    private interface IVisitor
    {
        void Add(in PhysicalOperation op);
    }

    private struct Collector : IVisitor
    {
        public ImmutableArray<PhysicalOperation>.Builder Ops;

        public readonly void Add(in PhysicalOperation op) => Ops.Add(op);
    }

    private struct BoundOnly : IVisitor
    {
        public StepModel Owner;
        public double Seconds;

        public void Add(in PhysicalOperation op) => Seconds += Owner.BoundSecondsPerCall(op) * op.Calls;
    }

    private struct Timing : IVisitor
    {
        public StepModel Owner;
        public double Expected;
        public double Bound;
        public double Communication;
        public double Flops;
        public double Bytes;

        public void Merge(in Timing other)
        {
            Expected += other.Expected;
            Bound += other.Bound;
            Communication += other.Communication;
            Flops += other.Flops;
            Bytes += other.Bytes;
        }

        public void Add(in PhysicalOperation op)
        {
            var expected = op.SecondsPerCall(Owner.Timer, Owner._link) * op.Calls;
            Expected += expected;
            Bound += Owner.BoundSecondsPerCall(op) * op.Calls;
            if (op.IsCommunication)
            {
                Communication += expected;
            }
            else
            {
                Flops += op.Flops;
                Bytes += op.Bytes;
            }
        }
    }
}

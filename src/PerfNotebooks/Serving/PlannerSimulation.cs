using System.Collections.Immutable;
using PerfNotebooks.Physical;
using PerfNotebooks.Physical.Kernels;
namespace PerfNotebooks.Serving;

/// <summary>
/// The planner's judge: one replica simulated by <see cref="ServeSimulator"/> under <c>vllm bench serve</c> with
/// Poisson arrivals at a request rate and fixed lengths, the benchmark <c>perfnb serve --request-rate</c> runs.
/// </summary>
/// <remarks>
/// A prefill replica of a disaggregated deployment serves one output token per request. A decode replica receives
/// the prompt's KV cache from the prefill pool; it is simulated with prefix caching at a hit rate of every prompt
/// token but the last, so it allocates the prompt's blocks and computes only the last token (as vLLM's decode
/// instance does with a KV connector). Speculative decoding is simulated as a replica that generates
/// ⌈(output − 1) ÷ tokens per step⌉ + 1 tokens with every kernel slowed by the drafting (1 + k × draft cost); the
/// verification of k + 1 tokens per request is timed as one decode token, which holds while decode is memory-bound.
/// </remarks>
internal sealed class PlannerSimulation : IPlannerJudge
{
    private readonly Dictionary<(PlannerReplica, double), IKernelTimer> _timers = [];

    /// <summary>The benchmark one replica runs at <paramref name="requestRate"/>: the same as <c>perfnb serve</c>'s for an aggregated replica.</summary>
    public static ServeBenchmark Benchmark(PlannerReplica replica, PlannerRequest request, double requestRate, int numPrompts, IKernelTimer? timer = null)
    {
        ArgumentNullException.ThrowIfNull(replica);
        ArgumentNullException.ThrowIfNull(request);
        var output = replica.Role == PlannerRole.Prefill ? 1 : SimulatedOutput(request);
        var server = new ServerSettings { GpuMemoryUtilization = request.Utilization };
        if (replica.Role == PlannerRole.Decode && request.InputTokens > 1)
        {
            server = server with { EnablePrefixCaching = true, PrefixHitRate = (request.InputTokens - 1) / (double)request.InputTokens };
        }

        if (timer is not null)
        {
            server = server with { Timer = timer };
        }

        return new ServeBenchmark
        {
            Source = replica.Source,
            Gpu = replica.Gpu,
            Client = new BenchServeClient
            {
                NumPrompts = numPrompts,
                RequestRate = requestRate,
                Dataset = RandomDataset.Fixed(request.InputTokens, output),
                Seed = request.Seed,
            },
            Server = server,
        };
    }

    public DeploymentPrediction Judge(PlannerReplica replica, PlannerRequest request, double requestRate, int numPrompts)
    {
        var result = ServeSimulator.Run(Benchmark(replica, request, requestRate, numPrompts, Timer(replica, request)));
        return Predict(result, request, replica.Role);
    }

    /// <summary>Every measured request of the simulation <see cref="Judge"/> runs.</summary>
    public ImmutableArray<RequestTiming> Requests(PlannerReplica replica, PlannerRequest request, double requestRate, int numPrompts) =>
        [.. ServeSimulator.Run(Benchmark(replica, request, requestRate, numPrompts, Timer(replica, request))).Requests.Where(r => r.Measured)];

    /// <summary>
    /// The replica's kernel timer, kept across the rates it is judged at: the expected timer (slowed by drafting with
    /// speculation) behind a memo of every kernel shape, so a shape met again costs one lookup.
    /// </summary>
    internal IKernelTimer Timer(PlannerReplica replica, PlannerRequest request)
    {
        var factor = request.Speculation is { } spec && replica.Role != PlannerRole.Prefill ? spec.StepCost : 1;
        if (!_timers.TryGetValue((replica, factor), out var timer))
        {
            var expected = KernelTimers.Expected(replica.Gpu);
            timer = new MemoKernelTimer(factor == 1 ? expected : new ScaledKernelTimer(expected, factor));
            _timers[(replica, factor)] = timer;
        }

        return timer;
    }

    /// <summary>The prediction of a simulation at the targets' percentile; every figure infinite when the replica does not fit.</summary>
    internal static DeploymentPrediction Predict(ServeBenchmarkResult result, PlannerRequest request, PlannerRole role)
    {
        var p = request.Targets.Percentile;
        if (result.Expected is not { } m)
        {
            var inf = double.PositiveInfinity;
            return new DeploymentPrediction(p, inf, inf, inf, inf, inf, inf, inf, inf, 0, 0);
        }

        var measured = result.Requests.Where(r => r.Measured).ToArray();
        double At(LatencyStats stats, Func<RequestTiming, double> of) => p switch
        {
            90 => stats.P90Seconds * 1e3,
            99 => stats.P99Seconds * 1e3,
            50 => stats.MedianSeconds * 1e3,
            _ => Percentile([.. measured.Select(of)], p) * 1e3,
        };

        var prediction = new DeploymentPrediction(
            p,
            At(m.Ttft, r => r.TtftSeconds),
            At(m.Tpot, r => r.TpotSeconds),
            At(m.Itl, r => r.TpotSeconds),
            At(m.E2el, r => r.E2elSeconds),
            m.Ttft.MeanSeconds * 1e3,
            m.Tpot.MeanSeconds * 1e3,
            m.Itl.MeanSeconds * 1e3,
            m.E2el.MeanSeconds * 1e3,
            m.RequestThroughput,
            m.OutputThroughput);
        if (request.Speculation is null || role == PlannerRole.Prefill || request.OutputTokens <= 1)
        {
            return prediction;
        }

        // Each simulated decode step stands for tokens-per-step real tokens: TPOT spreads the same decode time over
        // output − 1 tokens, and the replica generates output ÷ simulated output times the tokens.
        var simulated = SimulatedOutput(request);
        var perToken = (simulated - 1) / (double)(request.OutputTokens - 1);
        return prediction with
        {
            TpotMs = prediction.TpotMs * perToken,
            MeanTpotMs = prediction.MeanTpotMs * perToken,
            OutputThroughput = prediction.OutputThroughput * request.OutputTokens / simulated,
        };
    }

    /// <summary>Output tokens one simulated request generates: all of them, or with speculation the first plus one per verification step.</summary>
    internal static long SimulatedOutput(PlannerRequest request) => request.Speculation is { } spec && request.OutputTokens > 1
        ? 1 + (long)Math.Ceiling((request.OutputTokens - 1) / spec.TokensPerStep)
        : request.OutputTokens;

    /// <summary>numpy's linear-interpolated percentile (<c>np.percentile</c>, the default method), as vllm bench serve computes it.</summary>
    internal static double Percentile(double[] values, double percentile)
    {
        if (values.Length == 0)
        {
            return 0;
        }

        Array.Sort(values);
        var rank = percentile / 100 * (values.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, values.Length - 1);
        return values[low] + ((rank - low) * (values[high] - values[low]));
    }

    /// <summary>The same times, each kernel shape asked once.</summary>
    private sealed class MemoKernelTimer(IKernelTimer inner) : IKernelTimer
    {
        private readonly Dictionary<(long, long, long, KernelDtype), KernelTime> _gemm = [];
        private readonly Dictionary<(long, long, long, AttentionShape), KernelTime> _prefill = [];
        private readonly Dictionary<(long, long, AttentionShape), KernelTime> _decode = [];
        private readonly Dictionary<(long, MoeShape), KernelTime> _moe = [];
        private readonly Dictionary<(long, int), KernelTime> _allReduce = [];
        private readonly Dictionary<long, KernelTime> _elementwise = [];

        public string Gpu => inner.Gpu;

        public KernelTimeSource Kind => inner.Kind;

        public KernelTime Gemm(long m, long n, long k, KernelDtype dtype) => Memo(_gemm, (m, n, k, dtype), key => inner.Gemm(key.Item1, key.Item2, key.Item3, key.Item4));

        public KernelTime PrefillAttention(long batch, long tokens, long contextLength, AttentionShape shape) =>
            Memo(_prefill, (batch, tokens, contextLength, shape), key => inner.PrefillAttention(key.Item1, key.Item2, key.Item3, key.Item4));

        public KernelTime DecodeAttention(long batch, long contextLength, AttentionShape shape) =>
            Memo(_decode, (batch, contextLength, shape), key => inner.DecodeAttention(key.Item1, key.Item2, key.Item3));

        public KernelTime Moe(long tokens, MoeShape shape) => Memo(_moe, (tokens, shape), key => inner.Moe(key.Item1, key.Item2));

        public KernelTime AllReduce(long bytes, int gpus) => Memo(_allReduce, (bytes, gpus), key => inner.AllReduce(key.Item1, key.Item2));

        public KernelTime Elementwise(long bytes) => Memo(_elementwise, bytes, inner.Elementwise);

        private static KernelTime Memo<TKey>(Dictionary<TKey, KernelTime> memo, TKey key, Func<TKey, KernelTime> time)
            where TKey : notnull
        {
            if (!memo.TryGetValue(key, out var t))
            {
                t = time(key);
                memo[key] = t;
            }

            return t;
        }
    }

    /// <summary>Every kernel <paramref name="factor"/> times slower: a drafter's share of each step.</summary>
    private sealed class ScaledKernelTimer(IKernelTimer inner, double factor) : KernelTimerDecorator(inner)
    {
        protected override KernelTime Map(KernelTime time, OperationKind kind) => time with { Seconds = time.Seconds * factor };
    }
}

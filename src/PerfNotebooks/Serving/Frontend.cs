using System.Collections.Immutable;

namespace PerfNotebooks.Serving;

/// <summary>
/// The benchmark client, the API servers and vLLM's data-parallel load balancer in front of one engine per DP rank, on
/// one clock (expected or bound). Events run in time order: a step's end (its tokens reach the client, finished
/// requests free their slots and the client sends the next ones), a step's start, or an idle engine's next arrival;
/// a dense model's engines step independently, an MoE model's in lockstep.
/// </summary>
internal sealed class Frontend
{
    // vLLM's DPLBAsyncMPClient.get_core_engine_for_request (vllm/v1/engine/core_client.py) sends a request to the
    // engine of least waiting × 4 + running, counting it as waiting there at once; the DP coordinator
    // (vllm/v1/engine/coordinator.py) replaces those counts with the engines' own every 100 ms
    // (stats_update_interval_ms).
    private const int WaitingWeight = 4;
    private const double CountsRefreshSeconds = 0.1;

    private readonly Workload _w;
    private readonly Engine[] _engines;
    private readonly (long Waiting, long Running)[] _counts;
    private readonly double[] _apiFree;
    private readonly bool _lockstep;
    private double _countsTime = double.NegativeInfinity;
    private int _next;
    private int _inFlight;
    private int _gate;
    private int _warmupDone;

    /// <param name="workload">The client's requests.</param>
    /// <param name="api">The API servers' costs.</param>
    /// <param name="replicas">DP ranks, one engine and one API server each.</param>
    /// <param name="lockstep">Whether the ranks step together (an MoE model's: the MoE layers exchange tokens across
    /// the DP group every forward, so vLLM's DPEngineCoreProc runs a step on every rank, a dummy batch on an idle one,
    /// and a step ends when the slowest rank's does).</param>
    /// <param name="engine">Builds one rank's engine in front of this frontend.</param>
    public Frontend(Workload workload, ApiServerCosts api, int replicas, bool lockstep, Func<Frontend, Engine> engine)
    {
        _w = workload;
        _lockstep = lockstep && replicas > 1;
        Api = api;
        var n = workload.Count;
        Sent = new double[n];
        EngineArrival = new double[n];
        First = new double[n];
        Finish = new double[n];
        Replica = new int[n];
        _gate = workload.Warmup > 0 ? workload.Warmup : n;
        _counts = new (long, long)[replicas];
        // vllm serve starts one API server per DP rank with its internal load balancer (api_server_count defaults to
        // data_parallel_size, vllm/entrypoints/cli/serve.py); connections spread over them, taken here in turn.
        _apiFree = new double[replicas];
        _engines = new Engine[replicas];
        for (var k = 0; k < replicas; k++)
        {
            _engines[k] = engine(this);
        }
    }

    public Workload Workload => _w;

    /// <summary>The API servers' costs (each token's output path is the engines' to add).</summary>
    public ApiServerCosts Api { get; }

    public double[] Sent { get; }

    public double[] EngineArrival { get; }

    public double[] First { get; }

    public double[] Finish { get; }

    /// <summary>The DP rank that served each request.</summary>
    public int[] Replica { get; }

    /// <summary>Every token's gap to the previous one of its request, over the measured requests.</summary>
    public WeightedSample Itl { get; } = new();

    /// <summary>When tokens of measured requests reached the client, and how many.</summary>
    public List<(double Time, long Tokens)> TokenTimes { get; } = [];

    public int Done { get; set; }

    /// <summary>When the profiling phase began (aiperf: the last warm-up response).</summary>
    public double PhaseStart { get; private set; }

    public IReadOnlyList<Engine> Engines => _engines;

    public void Run()
    {
        Dispatch(0);
        if (_lockstep)
        {
            RunInLockstep();
            return;
        }

        var n = _w.Count;
        while (Done < n)
        {
            // The engine whose next event comes first; ties go to the lower rank.
            Engine? next = null;
            var at = double.PositiveInfinity;
            foreach (var e in _engines)
            {
                var t = e.NextEventTime;
                if (t < at)
                {
                    (next, at) = (e, t);
                }
            }

            if (next is null)
            {
                throw new InvalidOperationException("serving simulation: requests remain but none is queued or arriving");
            }

            next.Advance();
        }
    }

    // Every rank with work steps from the same instant and the step ends when the slowest one's does; an idle rank's
    // dummy batch (one token) is taken to finish within that.
    private void RunInLockstep()
    {
        var n = _w.Count;
        double now = 0;
        var stepping = new List<Engine>(_engines.Length);
        while (Done < n)
        {
            stepping.Clear();
            var next = double.PositiveInfinity;
            foreach (var e in _engines)
            {
                if (e.Admit(now))
                {
                    stepping.Add(e);
                }

                next = Math.Min(next, e.NextArrival);
            }

            double longest = 0;
            var started = 0;
            for (var k = 0; k < stepping.Count; k++)
            {
                if (stepping[k].TryBeginStep() is { } seconds)
                {
                    longest = Math.Max(longest, seconds);
                    stepping[started++] = stepping[k];
                }
            }

            if (started == 0)
            {
                now = double.IsPositiveInfinity(next)
                    ? throw new InvalidOperationException("serving simulation: requests remain but none is queued or arriving")
                    : Math.Max(now, next);
                continue;
            }

            now += longest;
            for (var k = 0; k < started; k++)
            {
                stepping[k].EndStepAt(now);
            }
        }
    }

    /// <summary>A request's last token reached the client at <paramref name="clientTime"/>: its slot frees.</summary>
    public void Finished(int r, double clientTime)
    {
        _inFlight--;
        if (r < _w.Warmup && ++_warmupDone == _w.Warmup)
        {
            // aiperf waits for every warm-up response, then starts the profiling phase.
            _gate = _w.Count;
            PhaseStart = clientTime;
        }

        Dispatch(clientTime);
    }

    // The client sends the next requests while it has a free slot: each at its scheduled arrival or when the slot
    // frees, whichever is later (vllm bench serve's semaphore; aiperf's workers send the next at once).
    private void Dispatch(double time)
    {
        while (_inFlight < _w.Concurrency && _next < _gate)
        {
            var i = _next++;
            var sent = Math.Max(_w.Arrival[i], time);
            Sent[i] = sent;
            // Each API server takes requests one at a time (its tokenizer runs on a single-thread executor).
            var server = i % _apiFree.Length;
            var arrival = _apiFree[server] = Math.Max(_apiFree[server], sent) + Api.IngressSeconds(_w.Input[i]);
            EngineArrival[i] = arrival;
            var k = Route(arrival);
            Replica[i] = k;
            _engines[k].Arrive(i, arrival);
            _inFlight++;
        }
    }

    private int Route(double time)
    {
        if (_engines.Length == 1)
        {
            return 0;
        }

        if (time >= _countsTime + CountsRefreshSeconds)
        {
            for (var k = 0; k < _engines.Length; k++)
            {
                _counts[k] = (_engines[k].Waiting, _engines[k].Running);
            }

            _countsTime = time;
        }

        var best = 0;
        var min = long.MaxValue;
        for (var k = 0; k < _counts.Length; k++)
        {
            var score = (_counts[k].Waiting * WaitingWeight) + _counts[k].Running;
            if (score < min)
            {
                (best, min) = (k, score);
            }
        }

        _counts[best].Waiting++;
        return best;
    }

    public ImmutableArray<RequestTiming> Timings()
    {
        var b = ImmutableArray.CreateBuilder<RequestTiming>(_w.Count);
        for (var i = 0; i < _w.Count; i++)
        {
            b.Add(new RequestTiming(i, _w.Input[i], _w.Output[i], i >= _w.Warmup, _w.Arrival[i], Sent[i], EngineArrival[i], First[i], Finish[i], _engines[Replica[i]].PreemptionsOf(i)));
        }

        return b.MoveToImmutable();
    }

    public BenchmarkMetrics Metrics(GoodputSlo? goodput)
    {
        var n = _w.Count - _w.Warmup;
        var ttft = new double[n];
        var e2el = new double[n];
        var tpot = new List<double>(n);
        long input = 0, output = 0, good = 0;
        double end = PhaseStart, firstStart = double.MaxValue;
        var events = new List<(double Time, int Delta)>(2 * n);
        for (var i = _w.Warmup; i < _w.Count; i++)
        {
            var k = i - _w.Warmup;
            ttft[k] = First[i] - Sent[i];
            e2el[k] = Finish[i] - Sent[i];
            var t = _w.Output[i] > 1 ? (Finish[i] - First[i]) / (_w.Output[i] - 1) : 0;
            if (_w.Output[i] > 1)
            {
                tpot.Add(t);
            }

            good += goodput is not null && goodput.Meets(ttft[k], t, e2el[k]) ? 1 : 0;
            input += _w.Input[i];
            output += _w.Output[i];
            end = Math.Max(end, Finish[i]);
            firstStart = Math.Min(firstStart, Sent[i]);
            events.Add((Sent[i], 1));
            events.Add((Finish[i], -1));
        }

        // serve.py: a sweep over half-open [start, end) intervals, departures before arrivals at equal times.
        events.Sort((a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Delta.CompareTo(b.Delta));
        long current = 0, peak = 0;
        foreach (var (_, delta) in events)
        {
            current += delta;
            peak = Math.Max(peak, current);
        }

        // serve.py: output tokens counted in whole-second buckets from the earliest start.
        var buckets = new Dictionary<long, long>();
        foreach (var (time, tokens) in TokenTimes)
        {
            if (tokens > 0 && time >= firstStart)
            {
                var bucket = (long)Math.Floor(time - firstStart);
                buckets[bucket] = buckets.GetValueOrDefault(bucket) + tokens;
            }
        }

        var duration = end - PhaseStart;
        var rate = duration > 0 ? 1 / duration : 0;
        return new BenchmarkMetrics(
            n,
            input,
            output,
            duration,
            n * rate,
            goodput is null ? null : good * rate,
            output * rate,
            (input + output) * rate,
            buckets.Count == 0 ? 0 : buckets.Values.Max(),
            peak,
            LatencyStats.Of(ttft),
            LatencyStats.Of(tpot.ToArray()),
            Itl.Stats(),
            LatencyStats.Of(e2el));
    }
}

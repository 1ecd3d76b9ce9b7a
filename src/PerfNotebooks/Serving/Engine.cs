using System.Collections.Immutable;
using PerfNotebooks.Physical;
namespace PerfNotebooks.Serving;

/// <summary>One replica's engine, API server and client, stepped on one clock (expected or bound).</summary>
internal sealed class Engine
{
    private readonly StepModel _steps;
    private readonly Workload _w;
    private readonly EngineLimits _limits;
    private readonly ServerSettings _server;
    private readonly ApiServerCosts _api;
    private readonly bool _bound;
    private readonly long[] _computed;
    private readonly long[] _generated;
    private readonly long[] _blocks;
    private readonly int[] _preempted;
    private readonly double[] _sent;
    private readonly double[] _engineArrival;
    private readonly double[] _first;
    private readonly double[] _finish;
    private readonly double[] _lastToken;
    private readonly List<int> _running = [];
    private readonly Deque _waiting;
    private readonly PriorityQueue<int, (double Time, int Index)> _arrivals = new();
    private readonly ImmutableArray<EngineSample>.Builder _timeline = ImmutableArray.CreateBuilder<EngineSample>();
    private readonly List<(double Time, long Tokens)> _tokenTimes = [];
    private readonly WeightedSample _itl = new();
    private readonly List<(int Request, long Tokens)> _scheduled = [];
    private long _freeBlocks;
    private double _now;
    private int _next;
    private int _inFlight;
    private int _gate;
    private int _warmupDone;
    private int _done;
    private double _phaseStart;
    private double _apiFree;

    public Engine(StepModel steps, Workload workload, EngineLimits limits, ServerSettings server, ApiServerCosts api, bool bound)
    {
        _steps = steps;
        _w = workload;
        _limits = limits;
        _server = server;
        _api = api;
        _bound = bound;
        var n = workload.Count;
        _computed = new long[n];
        _generated = new long[n];
        _blocks = new long[n];
        _preempted = new int[n];
        _sent = new double[n];
        _engineArrival = new double[n];
        _first = new double[n];
        _finish = new double[n];
        _lastToken = new double[n];
        _waiting = new Deque(n);
        _freeBlocks = limits.KvBlocks;
        _gate = workload.Warmup > 0 ? workload.Warmup : n;
    }

    public long StepCount { get; private set; }

    public long Preemptions { get; private set; }

    public ImmutableArray<EngineSample> Timeline => _timeline.ToImmutable();

    public void Run()
    {
        Dispatch(0);
        var n = _w.Count;
        while (_done < n)
        {
            while (_arrivals.TryPeek(out var i, out var at) && at.Time <= _now)
            {
                _arrivals.Dequeue();
                _waiting.AddLast(i);
            }

            if (_running.Count == 0 && _waiting.Count == 0)
            {
                if (!_arrivals.TryPeek(out _, out var next))
                {
                    throw new InvalidOperationException("serving simulation: requests remain but none is queued or arriving");
                }

                _now = next.Time;
                continue;
            }

            Step();
        }
    }

    private void Step()
    {
        _scheduled.Clear();
        var budget = _limits.MaxNumBatchedTokens;
        var bs = _limits.BlockSize;
        var preempted = false;

        // Running requests first, in admission order (vLLM V1 Scheduler.schedule).
        for (var k = 0; k < _running.Count && budget > 0; k++)
        {
            var r = _running[k];
            var numNew = Math.Min(_w.Input[r] + _generated[r] - _computed[r], budget);
            var ok = true;
            while (true)
            {
                var need = NewBlocks(_computed[r] + numNew, _blocks[r], bs);
                if (need <= _freeBlocks)
                {
                    _freeBlocks -= need;
                    _blocks[r] += need;
                    break;
                }

                // Out of blocks: preempt the latest-admitted running request (recompute), possibly this one.
                var victim = _running[^1];
                _running.RemoveAt(_running.Count - 1);
                Preempt(victim);
                preempted = true;
                if (victim == r)
                {
                    ok = false;
                    break;
                }
            }

            if (!ok)
            {
                break;
            }

            _scheduled.Add((r, numNew));
            budget -= numNew;
        }

        // Then waiting requests, unless this step preempted (vLLM admits none then).
        while (!preempted && budget > 0 && _waiting.Count > 0 && _running.Count < _limits.MaxNumSeqs)
        {
            var r = _waiting.First;
            if (_computed[r] == 0 && _server.EnablePrefixCaching && _server.PrefixHitRate > 0)
            {
                // Whole cached blocks of the prompt, leaving at least one token to compute (vLLM's
                // KVCacheManager.get_computed_blocks keeps the last prompt token uncached).
                var hit = (long)Math.Floor(_w.Input[r] * _server.PrefixHitRate) / bs * bs;
                _computed[r] = Math.Min(hit, (_w.Input[r] - 1) / bs * bs);
            }

            var numNew = Math.Min(_w.Input[r] + _generated[r] - _computed[r], budget);
            var need = NewBlocks(_computed[r] + numNew, _blocks[r], bs);
            if (need > _freeBlocks)
            {
                break;
            }

            _freeBlocks -= need;
            _blocks[r] += need;
            _waiting.RemoveFirst();
            _running.Add(r);
            _scheduled.Add((r, numNew));
            budget -= numNew;
        }

        if (_scheduled.Count == 0)
        {
            // Nothing fits (a request longer than the cache, or a budget of 0): wait for the next arrival.
            if (!_arrivals.TryPeek(out _, out var next))
            {
                throw new InvalidOperationException("serving simulation: no request can be scheduled and none is arriving");
            }

            _now = Math.Max(_now, next.Time);
            return;
        }

        var batch = default(Batch);
        long decodes = 0, decodeContext = 0, prefills = 0, prefillTokens = 0, prefillContext = 0, sampled = 0;
        Int128 prefillProduct = 0;
        foreach (var (r, numNew) in _scheduled)
        {
            var context = _computed[r] + numNew;
            var samples = context == _w.Input[r] + _generated[r];
            sampled += samples ? 1 : 0;
            if (numNew == 1 && _generated[r] > 0 && samples)
            {
                decodes++;
                decodeContext += context;
            }
            else
            {
                prefills++;
                prefillTokens += numNew;
                prefillContext += context;
                prefillProduct += (Int128)numNew * context;
            }
        }

        // A decode-only step up to the largest capture size replays a full CUDA graph, padded to the next captured
        // batch size (vLLM V1 FULL_AND_PIECEWISE, the default cudagraph_mode since v0.11).
        var padded = prefills == 0 && decodes <= _limits.MaxCudaGraphCaptureSize ? CaptureSize(decodes) : decodes;
        batch = batch with
        {
            DecodeRequests = padded,
            DecodeTokens = padded,
            DecodeContextLength = decodeContext,
            DecodeTokenContextProduct = decodeContext,
            PrefillRequests = prefills,
            PrefillTokens = prefillTokens,
            PrefillContextLength = prefillContext,
            PrefillTokenContextProduct = prefillProduct,
        };
        var seconds = _bound ? _steps.BoundSeconds(batch, sampled) : _steps.Estimate(batch, sampled).ExpectedSeconds;
        var start = _now;
        _now += seconds;
        StepCount++;

        var finished = false;
        long consecutive = 0, measuredTokens = 0;
        var tokenTime = _now + _api.OutputSeconds;
        foreach (var (r, numNew) in _scheduled)
        {
            _computed[r] += numNew;
            if (_computed[r] != _w.Input[r] + _generated[r])
            {
                continue;
            }

            _generated[r]++;
            var measured = r >= _w.Warmup;
            if (_generated[r] == 1)
            {
                _first[r] = tokenTime;
            }
            else if (measured)
            {
                if (_lastToken[r] == start)
                {
                    consecutive++;
                }
                else
                {
                    _itl.Add(_now - _lastToken[r], 1);
                }
            }

            _lastToken[r] = _now;
            measuredTokens += measured ? 1 : 0;
            if (_generated[r] == _w.Output[r])
            {
                _freeBlocks += _blocks[r];
                _blocks[r] = 0;
                _finish[r] = tokenTime;
                finished = true;
                _done++;
                Finished(r, tokenTime);
            }
        }

        _itl.Add(seconds, consecutive);
        _tokenTimes.Add((tokenTime, measuredTokens));
        if (finished)
        {
            _running.RemoveAll(r => _generated[r] == _w.Output[r]);
        }

        if (_bound)
        {
            // The bound clock's result keeps only its metrics.
            return;
        }

        var usage = _limits.KvBlocks > 0 ? 1 - ((double)_freeBlocks / _limits.KvBlocks) : 0;
        _timeline.Add(new EngineSample(_now, seconds, prefillTokens + decodes, _running.Count, _waiting.Count, usage, Preemptions));
    }

    // Blocks a request holding `held` blocks must add to hold `tokens` tokens. Most steps add one token within the last
    // block, so the division runs only when the tokens outgrow the blocks held.
    private static long NewBlocks(long tokens, long held, int blockSize) =>
        tokens <= held * blockSize ? 0 : ((tokens + blockSize - 1) / blockSize) - held;

    // vLLM's default cudagraph_capture_sizes: 1, 2, 4, then multiples of 8 below 256, then multiples of 16
    // (vllm/config/vllm.py _set_cudagraph_sizes).
    private long CaptureSize(long batch)
    {
        var size = batch <= 1 ? 1 : batch <= 2 ? 2 : batch <= 4 ? 4 : batch < 256 ? (batch + 7) / 8 * 8 : (batch + 15) / 16 * 16;
        return Math.Min(size, Math.Max(batch, _limits.MaxCudaGraphCaptureSize));
    }

    private void Preempt(int r)
    {
        _freeBlocks += _blocks[r];
        _blocks[r] = 0;
        _computed[r] = 0;
        _preempted[r]++;
        Preemptions++;
        _waiting.AddFirst(r);
    }

    private void Finished(int r, double clientTime)
    {
        _inFlight--;
        if (r < _w.Warmup && ++_warmupDone == _w.Warmup)
        {
            // aiperf waits for every warm-up response, then starts the profiling phase.
            _gate = _w.Count;
            _phaseStart = clientTime;
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
            _sent[i] = sent;
            // The API server takes requests one at a time (its tokenizer runs on a single-thread executor).
            _apiFree = Math.Max(_apiFree, sent) + _api.IngressSeconds(_w.Input[i]);
            _engineArrival[i] = _apiFree;
            _arrivals.Enqueue(i, (_engineArrival[i], i));
            _inFlight++;
        }
    }

    public ImmutableArray<RequestTiming> Timings()
    {
        var b = ImmutableArray.CreateBuilder<RequestTiming>(_w.Count);
        for (var i = 0; i < _w.Count; i++)
        {
            b.Add(new RequestTiming(i, _w.Input[i], _w.Output[i], i >= _w.Warmup, _w.Arrival[i], _sent[i], _engineArrival[i], _first[i], _finish[i], _preempted[i]));
        }

        return b.MoveToImmutable();
    }

    public BenchmarkMetrics Metrics(GoodputSlo? goodput, int replicas)
    {
        var n = _w.Count - _w.Warmup;
        var ttft = new double[n];
        var e2el = new double[n];
        var tpot = new List<double>(n);
        long input = 0, output = 0, good = 0;
        double end = _phaseStart, firstStart = double.MaxValue;
        var events = new List<(double Time, int Delta)>(2 * n);
        for (var i = _w.Warmup; i < _w.Count; i++)
        {
            var k = i - _w.Warmup;
            ttft[k] = _first[i] - _sent[i];
            e2el[k] = _finish[i] - _sent[i];
            var t = _w.Output[i] > 1 ? (_finish[i] - _first[i]) / (_w.Output[i] - 1) : 0;
            if (_w.Output[i] > 1)
            {
                tpot.Add(t);
            }

            good += goodput is not null && goodput.Meets(ttft[k], t, e2el[k]) ? 1 : 0;
            input += _w.Input[i];
            output += _w.Output[i];
            end = Math.Max(end, _finish[i]);
            firstStart = Math.Min(firstStart, _sent[i]);
            events.Add((_sent[i], 1));
            events.Add((_finish[i], -1));
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
        foreach (var (time, tokens) in _tokenTimes)
        {
            if (tokens > 0 && time >= firstStart)
            {
                var bucket = (long)Math.Floor(time - firstStart);
                buckets[bucket] = buckets.GetValueOrDefault(bucket) + tokens;
            }
        }

        var duration = end - _phaseStart;
        var r = (double)replicas;
        var rate = duration > 0 ? r / duration : 0;
        return new BenchmarkMetrics(
            checked(n * (long)replicas),
            checked(input * replicas),
            checked(output * replicas),
            duration,
            n * rate,
            goodput is null ? null : good * rate,
            output * rate,
            (input + output) * rate,
            buckets.Count == 0 ? 0 : buckets.Values.Max() * r,
            checked(peak * replicas),
            LatencyStats.Of(ttft),
            LatencyStats.Of(tpot.ToArray()),
            _itl.Stats(),
            LatencyStats.Of(e2el));
    }
}

using System.Collections.Immutable;
using PerfNotebooks.Physical;
namespace PerfNotebooks.Serving;

/// <summary>One DP rank's engine (vLLM V1's scheduler and its steps) on one clock (expected or bound); the client, the
/// API server and the load balancer in front of it are the <see cref="Frontend"/>'s.</summary>
internal sealed class Engine
{
    private readonly StepModel _steps;
    private readonly Frontend _frontend;
    private readonly Workload _w;
    private readonly EngineLimits _limits;
    private readonly ServerSettings _server;
    private readonly bool _bound;
    private readonly long[] _computed;
    private readonly long[] _generated;
    private readonly long[] _blocks;
    private readonly int[] _preempted;
    private readonly double[] _lastToken;
    private readonly List<int> _running = [];
    private readonly Deque _waiting;
    private readonly PriorityQueue<int, (double Time, int Index)> _arrivals = new();
    private readonly ImmutableArray<EngineSample>.Builder _timeline = ImmutableArray.CreateBuilder<EngineSample>();
    private readonly List<(int Request, long Tokens)> _scheduled = [];
    private long _freeBlocks;
    private double _now;
    private bool _inStep;
    private double _stepEnd;
    private double _stepSeconds;
    private long _stepTokens;

    public Engine(StepModel steps, Frontend frontend, EngineLimits limits, ServerSettings server, bool bound)
    {
        _steps = steps;
        _frontend = frontend;
        _w = frontend.Workload;
        _limits = limits;
        _server = server;
        _bound = bound;
        var n = _w.Count;
        _computed = new long[n];
        _generated = new long[n];
        _blocks = new long[n];
        _preempted = new int[n];
        _lastToken = new double[n];
        _waiting = new Deque(n);
        _freeBlocks = limits.KvBlocks;
    }

    public long StepCount { get; private set; }

    public long Preemptions { get; private set; }

    public ImmutableArray<EngineSample> Timeline => _timeline.ToImmutable();

    /// <summary>Requests arrived at the engine and not scheduled (preempted ones included), as vLLM counts waiting.</summary>
    public int Waiting => _waiting.Count;

    /// <summary>Requests holding KV blocks.</summary>
    public int Running => _running.Count;

    /// <summary>When this engine next has something to do: its step ends, it can start one, or a request arrives
    /// while it is idle; infinity when it has nothing before another engine's event.</summary>
    public double NextEventTime =>
        _inStep ? _stepEnd
        : _running.Count > 0 || _waiting.Count > 0 ? _now
        : _arrivals.TryPeek(out _, out var next) ? Math.Max(_now, next.Time)
        : double.PositiveInfinity;

    /// <summary>A request reaches this engine at <paramref name="time"/> (after the API server).</summary>
    public void Arrive(int request, double time) => _arrivals.Enqueue(request, (time, request));

    /// <summary>Times <paramref name="request"/> was preempted here.</summary>
    public int PreemptionsOf(int request) => _preempted[request];

    /// <summary>Lockstep: the engine's clock moves to <paramref name="now"/> and it takes the requests that have
    /// arrived; whether it has work.</summary>
    public bool Admit(double now)
    {
        _now = Math.Max(_now, now);
        AdmitArrivals();
        return _running.Count > 0 || _waiting.Count > 0;
    }

    /// <summary>When the next request reaches this engine; infinity when none is on its way.</summary>
    public double NextArrival => _arrivals.TryPeek(out _, out var next) ? next.Time : double.PositiveInfinity;

    /// <summary>Lockstep: starts a step at the engine's clock; its duration, or null when nothing could be scheduled.</summary>
    public double? TryBeginStep()
    {
        BeginStep();
        return _inStep ? _stepSeconds : null;
    }

    /// <summary>Lockstep: ends the step at <paramref name="end"/>, when the slowest rank's step ends.</summary>
    public void EndStepAt(double end)
    {
        _stepEnd = end;
        _stepSeconds = end - _now;
        EndStep();
    }

    /// <summary>Handles this engine's next event: the end of its step, or the start of the next one.</summary>
    public void Advance()
    {
        if (_inStep)
        {
            EndStep();
            return;
        }

        AdmitArrivals();
        if (_running.Count == 0 && _waiting.Count == 0)
        {
            if (!_arrivals.TryPeek(out _, out var next))
            {
                throw new InvalidOperationException("serving simulation: requests remain but none is queued or arriving");
            }

            _now = next.Time;
            return;
        }

        BeginStep();
    }

    // Requests that reached the engine by its clock join the waiting queue, in arrival order.
    private void AdmitArrivals()
    {
        while (_arrivals.TryPeek(out var i, out var at) && at.Time <= _now)
        {
            _arrivals.Dequeue();
            _waiting.AddLast(i);
        }
    }

    private void BeginStep()
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
        _stepSeconds = _bound ? _steps.BoundSeconds(batch, sampled) : _steps.Estimate(batch, sampled).ExpectedSeconds;
        _stepEnd = _now + _stepSeconds;
        _stepTokens = prefillTokens + decodes;
        _inStep = true;
        StepCount++;
    }

    // The step's tokens come out: each request's computed tokens advance, sampled ones reach the client, finished
    // requests free their blocks and their client slots.
    private void EndStep()
    {
        var start = _now;
        var seconds = _stepSeconds;
        _now = _stepEnd;
        _inStep = false;
        var finished = false;
        long consecutive = 0, measuredTokens = 0;
        var tokenTime = _now + _frontend.Api.OutputSeconds;
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
                _frontend.First[r] = tokenTime;
            }
            else if (measured)
            {
                if (_lastToken[r] == start)
                {
                    consecutive++;
                }
                else
                {
                    _frontend.Itl.Add(_now - _lastToken[r], 1);
                }
            }

            _lastToken[r] = _now;
            measuredTokens += measured ? 1 : 0;
            if (_generated[r] == _w.Output[r])
            {
                _freeBlocks += _blocks[r];
                _blocks[r] = 0;
                _frontend.Finish[r] = tokenTime;
                finished = true;
                _frontend.Done++;
                _frontend.Finished(r, tokenTime);
            }
        }

        _frontend.Itl.Add(seconds, consecutive);
        _frontend.TokenTimes.Add((tokenTime, measuredTokens));
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
        _timeline.Add(new EngineSample(_now, seconds, _stepTokens, _running.Count, _waiting.Count, usage, Preemptions));
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
}

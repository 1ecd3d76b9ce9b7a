using System.Collections.Immutable;
using System.Globalization;
using PerfNotebooks.Physical;

namespace PerfNotebooks.Analysis;

/// <summary>
/// Step-by-step serving simulation of one DP replica with vLLM's scheduling: each step first gives every running
/// decode one token, then continues partial prefills and admits waiting prompts within the token budget
/// (<c>max_num_batched_tokens</c>, chunking long prompts), up to <c>max_num_seqs</c> and the KV-cache capacity. Every
/// step is timed by the physical <see cref="StepModel"/>, expected and as the roofline bound, on two clocks.
/// </summary>
/// <remarks>
/// A static batch runs until every request has finished. A closed loop starts in steady state (request i of N has
/// already generated ⌊i·output ÷ N⌋ tokens, so finishing times are spread) and runs until twice the concurrency of
/// requests admitted during the run have finished; only those are measured. Requests whose KV cache would not fit at
/// input + output tokens wait (vLLM admits on current blocks and preempts by recompute when they run out; capping at
/// the final length gives the same steady concurrency without the recompute). With PP the step passes every stage in
/// turn; vLLM's overlapping of PP micro-batches is not modelled, so PP throughput is a lower estimate.
/// </remarks>
public static class ServingSimulator
{
    /// <summary>Simulates <paramref name="request"/>.</summary>
    /// <exception cref="Models.ModelConfigException">The config lacks a shape the physical model needs.</exception>
    public static ServeResult Run(ServeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var model = PhysicalModel.From(request.Source);
        var steps = new StepModel(model, request.Gpu, request.Timer, request.Overhead, request.RoutingImbalance);
        var context = checked(request.InputTokens + request.OutputTokens);
        var plan = MemoryPlanner.Plan(model, request.Gpu, request.Utilization, context);
        var notes = ImmutableArray.CreateBuilder<string>();
        notes.AddRange(model.Warnings);
        var timerName = string.Create(CultureInfo.InvariantCulture, $"{steps.Timer.GetType().Name} ({steps.Timer.Gpu})");

        var dp = model.DataParallel;
        var perReplica = (request.Requests + dp - 1) / dp;
        var defaults = ServeRequest.VllmDefaults(request.Gpu);
        var budget = request.MaxNumBatchedTokens ?? defaults.MaxNumBatchedTokens;
        var maxSeqs = request.MaxNumSeqs ?? defaults.MaxNumSeqs;
        var kvSequences = plan.SequencesThatFit;
        if (!plan.Fits || kvSequences == 0)
        {
            notes.Add(plan.Fits
                ? string.Create(CultureInfo.InvariantCulture, $"one sequence of {context} tokens needs {Units.Bytes(plan.KvBytesPerSequence)} of KV cache per GPU; {Units.Bytes(plan.KvCacheBytes)} is left after the weights: vLLM would refuse to start (max_model_len too large for the KV cache)")
                : string.Create(CultureInfo.InvariantCulture, $"weights need {Units.Bytes((double)plan.WeightBytes)} per GPU, {Units.Bytes(plan.UsableBytes)} is usable: does not fit; vLLM would fail to load (use more TP/PP or quantize)"));
            return new ServeResult(request, null, null, plan, 0, 0, timerName, notes.ToImmutable());
        }

        var limit = Math.Min(perReplica, Math.Min(maxSeqs, kvSequences));
        if (limit < perReplica)
        {
            var why = kvSequences < maxSeqs
                ? string.Create(CultureInfo.InvariantCulture, $"the KV cache holds {kvSequences} sequences of {context} tokens per replica")
                : string.Create(CultureInfo.InvariantCulture, $"max_num_seqs is {maxSeqs}");
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{perReplica} requests per replica but {why}: vLLM runs {limit} at once and queues the rest (preempting by recompute if blocks run out mid-generation)"));
        }

        if (budget < request.InputTokens && budget != ServeRequest.Unchunked)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"prompts of {request.InputTokens} tokens are prefilled in chunks of at most {budget} tokens (max_num_batched_tokens)"));
        }

        var sim = new Simulation(steps, request, perReplica, limit, budget);
        var (expected, bound, count) = sim.Run();
        var gpusPerReplica = (double)model.TensorParallel * model.PipelineParallel;
        return new ServeResult(request, expected.ToFigures(gpusPerReplica), bound.ToFigures(gpusPerReplica), plan, limit, count, timerName, notes.ToImmutable());
    }

    private struct Slot
    {
        public long Prefilled;
        public long Generated;
        public bool Measured;
        public bool Running;
        public double ArrivalE;
        public double ArrivalB;
        public double FirstE;
        public double FirstB;
    }

    private sealed class Clock
    {
        public double Now;
        public double TtftSum;
        public double E2eSum;
        public double TpotSum;
        public long TpotCount;
        public double GapSum;
        public long GapCount;
        public long Finished;
        public long Tokens;

        public ServeFigures ToFigures(double gpus)
        {
            var perReplica = Now > 0 ? Tokens / Now : 0;
            return new ServeFigures(
                Finished > 0 ? TtftSum / Finished : 0,
                GapCount > 0 ? GapSum / GapCount : 0,
                TpotCount > 0 ? TpotSum / TpotCount : 0,
                Finished > 0 ? E2eSum / Finished : 0,
                perReplica,
                perReplica / gpus);
        }
    }

    private sealed class Simulation(StepModel steps, ServeRequest request, long requests, long limit, long budget)
    {
        private readonly Clock _e = new();
        private readonly Clock _b = new();

        public (Clock Expected, Clock Bound, long Steps) Run()
        {
            var input = request.InputTokens;
            var output = request.OutputTokens;
            var closed = request.Mode == ServeMode.ClosedLoop;
            var slots = new Slot[requests];
            var waiting = new Queue<int>();
            var running = new List<int>((int)Math.Min(limit, 1 << 20));
            for (var i = 0; i < slots.Length; i++)
            {
                var done = closed ? i * output / requests : 0;
                if (done > 0 && running.Count < limit)
                {
                    slots[i] = new Slot { Prefilled = input, Generated = done, Running = true };
                    running.Add(i);
                }
                else
                {
                    slots[i] = new Slot { Measured = true };
                    waiting.Enqueue(i);
                }
            }

            var target = closed ? 2 * requests : requests;
            long measuredDone = 0, stepCount = 0;
            var decoding = new List<int>();
            var prefilling = new List<(int Slot, long Chunk)>();
            while (measuredDone < target && stepCount < 10_000_000)
            {
                decoding.Clear();
                prefilling.Clear();
                var left = budget;
                long decodeContext = 0, prefillTokens = 0, prefillContext = 0, sampled = 0;
                Int128 prefillProduct = 0;
                foreach (var i in running)
                {
                    ref var s = ref slots[i];
                    if (s.Prefilled == input)
                    {
                        if (left <= 0)
                        {
                            continue;
                        }

                        left--;
                        decoding.Add(i);
                        decodeContext += input + s.Generated;
                    }
                }

                void Prefill(int i, ref long left)
                {
                    ref var s = ref slots[i];
                    var chunk = Math.Min(input - s.Prefilled, left);
                    left -= chunk;
                    prefilling.Add((i, chunk));
                    prefillTokens += chunk;
                    prefillContext += s.Prefilled + chunk;
                    prefillProduct += (Int128)chunk * (s.Prefilled + chunk);
                    sampled += s.Prefilled + chunk == input ? 1 : 0;
                }

                foreach (var i in running)
                {
                    if (left > 0 && slots[i].Prefilled < input)
                    {
                        Prefill(i, ref left);
                    }
                }

                while (left > 0 && running.Count < limit && waiting.Count > 0)
                {
                    var i = waiting.Dequeue();
                    slots[i].Running = true;
                    running.Add(i);
                    Prefill(i, ref left);
                }

                if (decoding.Count == 0 && prefilling.Count == 0)
                {
                    break;
                }

                var batch = new Batch
                {
                    DecodeRequests = decoding.Count,
                    DecodeTokens = decoding.Count,
                    DecodeContextLength = decodeContext,
                    DecodeTokenContextProduct = decodeContext,
                    PrefillRequests = prefilling.Count,
                    PrefillTokens = prefillTokens,
                    PrefillContextLength = prefillContext,
                    PrefillTokenContextProduct = prefillProduct,
                };
                var time = steps.Estimate(batch, sampled + decoding.Count);
                _e.Now += time.ExpectedSeconds;
                _b.Now += time.BoundSeconds;
                stepCount++;

                foreach (var i in decoding)
                {
                    ref var s = ref slots[i];
                    s.Generated++;
                    Token(ref s, time, first: false);
                    measuredDone += Finish(i, ref s, waiting, closed) ? 1 : 0;
                }

                foreach (var (i, chunk) in prefilling)
                {
                    ref var s = ref slots[i];
                    s.Prefilled += chunk;
                    if (s.Prefilled == input)
                    {
                        s.Generated = 1;
                        Token(ref s, time, first: true);
                        measuredDone += Finish(i, ref s, waiting, closed) ? 1 : 0;
                    }
                }

                running.RemoveAll(i => !slots[i].Running);
            }

            return (_e, _b, stepCount);
        }

        private void Token(ref Slot s, StepTime time, bool first)
        {
            _e.Tokens++;
            _b.Tokens++;
            if (!s.Measured)
            {
                return;
            }

            if (first)
            {
                s.FirstE = _e.Now;
                s.FirstB = _b.Now;
            }
            else
            {
                _e.GapSum += time.ExpectedSeconds;
                _b.GapSum += time.BoundSeconds;
                _e.GapCount++;
                _b.GapCount++;
            }
        }

        private bool Finish(int i, ref Slot s, Queue<int> waiting, bool closed)
        {
            if (s.Generated < request.OutputTokens)
            {
                return false;
            }

            var measured = s.Measured;
            if (measured)
            {
                Record(_e, s.ArrivalE, s.FirstE);
                Record(_b, s.ArrivalB, s.FirstB);
            }

            if (closed)
            {
                // A new request takes the slot: it arrives now and waits for admission.
                s = new Slot { Measured = true, ArrivalE = _e.Now, ArrivalB = _b.Now };
                waiting.Enqueue(i);
            }
            else
            {
                s.Running = false;
            }

            return measured;
        }

        private void Record(Clock c, double arrival, double first)
        {
            c.Finished++;
            c.TtftSum += first - arrival;
            c.E2eSum += c.Now - arrival;
            if (request.OutputTokens > 1)
            {
                c.TpotSum += (c.Now - first) / (request.OutputTokens - 1);
                c.TpotCount++;
            }
        }
    }
}

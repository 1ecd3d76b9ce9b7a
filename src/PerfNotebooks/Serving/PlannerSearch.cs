using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using PerfNotebooks.Hardware;
using PerfNotebooks.Models;
using PerfNotebooks.Physical;
namespace PerfNotebooks.Serving;

/// <summary>
/// The search behind <see cref="Planner.Plan(ModelSource, PlannerRequest)"/>: candidates from the grid, the memory
/// check, then per candidate the fewest replicas whose share of the rate the simulation serves within the targets.
/// </summary>
/// <remarks>
/// Implementation note: a replica's latency grows with its request rate, so the fewest replicas n is the least n with
/// judge(rate ÷ n) within the targets: found by doubling, then bisection. Candidates are judged cheapest replica
/// first; once enough deployments are known, a candidate is searched only up to the replicas that could still beat
/// them (larger counts would cost more). The answer and its runners-up are then re-simulated with
/// <see cref="PlannerRequest.NumPrompts"/> prompts, the call <c>perfnb serve</c> makes, and their replica counts
/// moved to the least that meets the targets there.
/// </remarks>
internal sealed class PlannerSearch(ModelSource source, PlannerRequest request, IPlannerJudge judge)
{
    /// <summary>No more replicas than this per pool when no GPU limit is given.</summary>
    private const int ReplicaCap = 4096;

    /// <summary>Prompts of the latency-floor check at the replica cap.</summary>
    private const int FloorPrompts = 16;

    private readonly List<PlannerParetoPoint> _points = [];
    private readonly List<string> _notes = [];
    private int _candidates;
    private int _simulations;
    private int _rejected;
    private int _bounded;

    private sealed record Verdict(PlannerReplica Replica, int Replicas, DeploymentPrediction Predicted, double CostPerReplica)
    {
        public double Cost => CostPerReplica * Replicas;
    }

    private sealed record Miss(PlannerReplica Replica, DeploymentPrediction Predicted, double WorstRatio, bool CapLimited);

    public PlannerResult Run()
    {
        var clock = Stopwatch.StartNew();
        var targets = request.Targets;
        var priced = !request.GpuCostPerHour.IsEmpty;
        var replicas = Replicas(PlannerRole.Aggregated, request.InputTokens + request.OutputTokens).ToList();
        var misses = new List<Miss>();
        var aggregated = SearchAll(replicas, targets, request.RequestRate, misses);
        var deployments = aggregated.Select(v => Aggregated(v)).ToList();

        if (request.Disaggregated)
        {
            deployments.AddRange(Disaggregated(misses));
        }

        var ranked = deployments.OrderBy(Key).ThenBy(d => d.Summary, StringComparer.Ordinal).ToList();
        var confirmed = Confirm(ranked.Take(request.RunnersUp + 2)).OrderBy(Key).ThenBy(d => d.Summary, StringComparer.Ordinal).ToList();
        var best = confirmed.FirstOrDefault();
        var runners = confirmed.Skip(1).Take(request.RunnersUp).ToImmutableArray();
        if (!priced)
        {
            _notes.Add("no GPU prices given (--gpu-cost): deployments are ranked by GPUs in total");
        }

        return new PlannerResult
        {
            Request = request,
            Model = source.Config.Source,
            Best = best,
            RunnersUp = runners,
            Pareto = [.. PlannerParetoPoint.Front(_points)],
            Points = [.. _points],
            Candidates = _candidates,
            Rejected = _rejected,
            Bounded = _bounded,
            Simulations = _simulations,
            Elapsed = clock.Elapsed,
            Closest = best is null ? Closest(misses) : null,
            BestRequests = best is { Mode: DeploymentMode.Aggregated } b && judge is PlannerSimulation simulation
                ? simulation.Requests(Replica(b.Pool, PlannerRole.Aggregated), request, b.Pool.RequestRatePerReplica, request.NumPrompts)
                : [],
            Notes = [.. _notes],
        };
    }

    private static (double, long, double) Key(Deployment d) => (d.CostPerHour ?? d.Gpus, d.Gpus, d.Predicted.TtftMs);

    private double PricePerHour(GpuSpec gpu) =>
        request.GpuCostPerHour.IsEmpty ? 1 : request.GpuCostPerHour.TryGetValue(gpu.Name, out var p) ? p : double.NaN;

    /// <summary>Every valid candidate replica of the grid that passes the memory check, cheapest first.</summary>
    private IEnumerable<PlannerReplica> Replicas(PlannerRole role, long contextTokens)
    {
        var gpus = request.Gpus.IsEmpty ? GpuCatalog.All : request.Gpus;
        var moe = PhysicalModel.From(source).Experts > 0;
        var tps = request.TensorParallel.IsEmpty ? PlannerRequest.DefaultTensorParallel : request.TensorParallel;
        var pps = request.PipelineParallel.IsEmpty ? PlannerRequest.DefaultPipelineParallel : request.PipelineParallel;
        var dps = request.DataParallel.IsEmpty ? (moe ? PlannerRequest.DefaultDataParallel : [1]) : request.DataParallel;
        var eps = request.ExpertParallel.IsEmpty ? (moe ? [false, true] : [false]) : request.ExpertParallel;
        var layers = PhysicalModel.From(source).Layers;
        var found = new List<PlannerReplica>();
        foreach (var gpu in gpus)
        {
            if (double.IsNaN(PricePerHour(gpu)))
            {
                if (role == PlannerRole.Aggregated)
                {
                    _notes.Add($"{gpu.Name} left out: no price given for it (--gpu-cost)");
                }

                continue;
            }

            var axes = from dtype in request.Dtypes
                       from kv in request.KvCacheDtypes
                       from quant in request.Quantizations
                       from tp in tps
                       from pp in pps
                       from dp in dps
                       from ep in eps
                       select (dtype, kv, quant, tp, pp, dp, ep);
            foreach (var (dtype, kv, quant, tp, pp, dp, ep) in axes)
            {
                // A layout "divides the model" when PP divides the layers (TP's head split is vLLM's own check below).
                if (request.PipelineParallel.IsEmpty && layers % pp != 0)
                {
                    continue;
                }

                _candidates++;
                var engine = source.Engine with
                {
                    TensorParallel = tp,
                    PipelineParallel = pp,
                    DataParallel = dp,
                    EnableExpertParallel = ep,
                    Dtype = dtype,
                    KvCacheDtype = kv,
                    Quantization = quant,
                };
                if (request.MaxGpus is { } max && engine.Gpus > max)
                {
                    _rejected++;
                    continue;
                }

                ModelSource resolved;
                PhysicalModel model;
                try
                {
                    resolved = ModelSource.Resolve(source.Config, engine);
                    model = PhysicalModel.From(resolved);
                }
                catch (Exception e) when (e is EngineConfigException or ModelConfigException)
                {
                    _rejected++;
                    continue;
                }

                if (PlannerMemory.Misfit(model, gpu, request.Utilization, contextTokens) is not null)
                {
                    _rejected++;
                    continue;
                }

                found.Add(new PlannerReplica(resolved, model, gpu, role));
            }
        }

        return found.OrderBy(r => PricePerHour(r.Gpu) * r.Source.Engine.Gpus).ThenBy(r => r.Label, StringComparer.Ordinal);
    }

    /// <summary>The fewest replicas of each candidate that serve <paramref name="rate"/> within <paramref name="targets"/>.</summary>
    private List<Verdict> SearchAll(List<PlannerReplica> replicas, PlannerTargets targets, double rate, List<Miss> misses)
    {
        var verdicts = new List<Verdict>();
        var keep = request.RunnersUp + 1;
        foreach (var replica in replicas)
        {
            var costPerReplica = PricePerHour(replica.Gpu) * replica.Source.Engine.Gpus;
            var cap = request.MaxGpus is { } max ? (int)Math.Min(ReplicaCap, max / replica.Source.Engine.Gpus) : ReplicaCap;
            var capLimited = request.MaxGpus is not null;
            if (verdicts.Count >= keep)
            {
                // Only deployments that could still make the list are worth searching.
                var bar = verdicts.Select(v => v.Cost).Order().ElementAt(keep - 1);
                var affordable = (int)Math.Min(cap, Math.Floor(bar / costPerReplica));
                if (affordable < 1)
                {
                    _bounded++;
                    continue;
                }

                capLimited |= affordable < cap;
                cap = affordable;
            }

            if (Fewest(replica, targets, rate, cap, request.SearchPrompts) is var (n, predicted, worst) && n > 0)
            {
                verdicts.Add(new Verdict(replica, n, predicted, costPerReplica));
            }
            else
            {
                misses.Add(new Miss(replica, predicted, worst, capLimited));
            }
        }

        return verdicts;
    }

    /// <summary>
    /// The least n ≤ <paramref name="cap"/> whose rate ÷ n the replica serves within the targets (0 when none), the
    /// prediction there (or at the lowest rate tried) and its worst predicted ÷ target.
    /// </summary>
    private (int Replicas, DeploymentPrediction Predicted, double Worst) Fewest(PlannerReplica replica, PlannerTargets targets, double rate, int cap, int prompts)
    {
        var seen = new Dictionary<int, (bool Ok, DeploymentPrediction P, double Worst)>();
        (bool Ok, DeploymentPrediction P, double Worst) At(int n, bool floor = false)
        {
            if (!seen.TryGetValue(n, out var r))
            {
                var perReplica = rate / n;
                var count = floor ? Math.Min(prompts, FloorPrompts) : prompts;
                var p = judge.Judge(replica, request, perReplica, count);
                _simulations++;
                var worst = targets.WorstRatio(p);
                var ok = worst <= 1 && KeepsUp(p, perReplica, count, targets);
                if (!floor)
                {
                    _points.Add(new PlannerParetoPoint(replica.Label, perReplica, p.OutputThroughput / replica.Source.Engine.Gpus, p.TokensPerSecondPerUser, ok));
                }

                r = (ok, p, ok ? worst : Math.Max(worst, 1 + 1e-9));
                if (!floor || !ok)
                {
                    seen[n] = r;
                }
            }

            return r;
        }

        if (At(1).Ok)
        {
            return (1, At(1).P, At(1).Worst);
        }

        // Implementation note: at the cap a replica is nearly idle; a few prompts tell whether even that misses the
        // targets (the latency floor), which rules the candidate out in two simulations instead of a dozen.
        if (cap <= 1 || !At(cap, floor: true).Ok)
        {
            var last = cap <= 1 ? At(1) : At(cap, floor: true);
            return (0, last.P, last.Worst);
        }

        // Doubling from 1 brackets the least n in (lo, hi]; bisection closes it.
        int lo = 1, hi = 2;
        while (hi < cap && !At(hi).Ok)
        {
            lo = hi;
            hi = (int)Math.Min(cap, 2L * hi);
        }

        hi = Math.Min(hi, cap);
        while (hi - lo > 1)
        {
            var mid = lo + ((hi - lo) / 2);
            if (At(mid).Ok)
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }

        return (hi, At(hi).P, At(hi).Worst);
    }

    /// <summary>
    /// Without a TTFT target a queue that grows without bound would pass a TPOT target; a replica keeps up when it
    /// finishes its prompts within the arrival span plus one mean request latency, at 95 % (a growing queue adds the
    /// backlog instead).
    /// </summary>
    private static bool KeepsUp(DeploymentPrediction p, double rate, int prompts, PlannerTargets targets)
    {
        if (targets.TtftMs is not null)
        {
            return true;
        }

        var span = (prompts / rate) + (p.MeanE2elMs / 1e3);
        return p.RequestThroughput >= 0.95 * prompts / span;
    }

    private Deployment Aggregated(Verdict v) => new()
    {
        Mode = DeploymentMode.Aggregated,
        Pool = new DeploymentPool(v.Replica.Gpu, v.Replica.Source.Engine, v.Replicas, request.RequestRate / v.Replicas, v.Predicted),
        RequestRate = request.RequestRate,
        OutputTokens = request.OutputTokens,
        Predicted = v.Predicted.Times(v.Replicas),
        CostPerHour = request.GpuCostPerHour.IsEmpty ? null : v.Cost,
    };

    /// <summary>
    /// Re-simulates each deployment with <see cref="PlannerRequest.NumPrompts"/> prompts at its share of the rate and
    /// moves each pool's replicas to the least count that meets the targets there.
    /// </summary>
    private IEnumerable<Deployment> Confirm(IEnumerable<Deployment> deployments)
    {
        foreach (var d in deployments)
        {
            if (d.Mode == DeploymentMode.Aggregated)
            {
                var replica = Replica(d.Pool, PlannerRole.Aggregated);
                if (Settle(replica, request.Targets, d.Pool.Replicas) is { } settled)
                {
                    yield return d with
                    {
                        Pool = settled,
                        Predicted = settled.Predicted.Times(settled.Replicas),
                        CostPerHour = d.CostPerHour is null ? null : PricePerHour(settled.Gpu) * settled.Gpus,
                    };
                }
            }
            else if (ConfirmDisaggregated(d) is { } confirmed)
            {
                yield return confirmed;
            }
        }
    }

    private PlannerReplica Replica(DeploymentPool pool, PlannerRole role)
    {
        var resolved = ModelSource.Resolve(source.Config, pool.Engine);
        return new PlannerReplica(resolved, PhysicalModel.From(resolved), pool.Gpu, role);
    }

    /// <summary>The least replicas near <paramref name="start"/> that meet the targets at <see cref="PlannerRequest.NumPrompts"/>.</summary>
    private DeploymentPool? Settle(PlannerReplica replica, PlannerTargets targets, int start, double? rate = null)
    {
        var total = rate ?? request.RequestRate;
        var cap = request.MaxGpus is { } max ? (int)Math.Min(ReplicaCap, max / replica.Source.Engine.Gpus) : ReplicaCap;
        (bool Ok, DeploymentPrediction P) At(int n)
        {
            var p = judge.Judge(replica, request, total / n, request.NumPrompts);
            _simulations++;
            return (targets.AreMetBy(p) && KeepsUp(p, total / n, request.NumPrompts, targets), p);
        }

        var n = start;
        var at = At(n);
        while (!at.Ok && n < Math.Min(cap, start * 2))
        {
            at = At(++n);
        }

        if (!at.Ok)
        {
            return null;
        }

        while (n > 1 && At(n - 1) is { Ok: true } fewer)
        {
            n--;
            at = fewer;
        }

        return new DeploymentPool(replica.Gpu, replica.Source.Engine, n, total / n, at.P);
    }

    private IEnumerable<Deployment> Disaggregated(List<Miss> misses)
    {
        var targets = request.Targets;
        var decodeTargets = new PlannerTargets { Percentile = targets.Percentile, TpotMs = targets.TpotMs };
        var decodeCandidates = Replicas(PlannerRole.Decode, request.InputTokens + request.OutputTokens).ToList();
        var decodes = SearchAll(decodeCandidates, decodeTargets, request.RequestRate, misses)
            .OrderBy(v => v.Cost).ThenBy(v => v.Replica.Label, StringComparer.Ordinal).Take(3).ToList();
        if (decodes.Count == 0)
        {
            yield break;
        }

        var prefillCandidates = Replicas(PlannerRole.Prefill, request.InputTokens + 1).ToList();
        foreach (var decode in decodes)
        {
            foreach (var prefillGroup in prefillCandidates.GroupBy(p => TransferMs(p, decode.Replica)))
            {
                var budget = targets.TtftMs is { } ttft ? ttft - prefillGroup.Key - decode.Predicted.TtftMs : (double?)null;
                if (budget is <= 0)
                {
                    continue;
                }

                var prefillTargets = new PlannerTargets { Percentile = targets.Percentile, TtftMs = budget };
                foreach (var prefill in SearchAll([.. prefillGroup], prefillTargets, request.RequestRate, []).OrderBy(v => v.Cost).Take(2))
                {
                    var d = Combine(prefill.Replica, prefill.Replicas, prefill.Predicted, decode.Replica, decode.Replicas, decode.Predicted, prefillGroup.Key);
                    if (targets.AreMetBy(d.Predicted))
                    {
                        yield return d;
                    }
                }
            }
        }
    }

    private Deployment Combine(PlannerReplica prefill, int prefills, DeploymentPrediction p, PlannerReplica decode, int decodes, DeploymentPrediction d, double transferMs)
    {
        var predicted = d.Times(decodes) with
        {
            TtftMs = p.TtftMs + transferMs + d.TtftMs,
            MeanTtftMs = p.MeanTtftMs + transferMs + d.MeanTtftMs,
            E2elMs = p.TtftMs + transferMs + d.E2elMs,
            MeanE2elMs = p.MeanTtftMs + transferMs + d.MeanE2elMs,
        };
        var cost = request.GpuCostPerHour.IsEmpty ? (double?)null
            : (PricePerHour(prefill.Gpu) * prefill.Source.Engine.Gpus * prefills) + (PricePerHour(decode.Gpu) * decode.Source.Engine.Gpus * decodes);
        return new Deployment
        {
            Mode = DeploymentMode.Disaggregated,
            Pool = new DeploymentPool(prefill.Gpu, prefill.Source.Engine, prefills, request.RequestRate / prefills, p),
            DecodePool = new DeploymentPool(decode.Gpu, decode.Source.Engine, decodes, request.RequestRate / decodes, d),
            RequestRate = request.RequestRate,
            OutputTokens = request.OutputTokens,
            Predicted = predicted,
            KvTransferMs = transferMs,
            CostPerHour = cost,
        };
    }

    /// <summary>
    /// One request's KV cache from a prefill replica to a decode replica: each prefill GPU sends its share of the
    /// prompt's KV cache (its layers and KV heads) at the slower of the two GPUs' interconnect bandwidths, all ranks at
    /// once (vLLM's NIXL connector moves KV blocks rank to rank).
    /// </summary>
    internal double TransferMs(PlannerReplica prefill, PlannerReplica decode)
    {
        var bytesPerGpu = prefill.Model.KvBytesPerSequence(request.InputTokens);
        var bandwidth = Math.Min(prefill.Gpu.InterconnectBytesPerSecond, decode.Gpu.InterconnectBytesPerSecond);
        return bandwidth > 0 ? bytesPerGpu / bandwidth * 1e3 : double.PositiveInfinity;
    }

    private Deployment? ConfirmDisaggregated(Deployment d)
    {
        var targets = request.Targets;
        var decodeReplica = Replica(d.DecodePool!, PlannerRole.Decode);
        var decode = Settle(decodeReplica, new PlannerTargets { Percentile = targets.Percentile, TpotMs = targets.TpotMs }, d.DecodePool!.Replicas);
        if (decode is null)
        {
            return null;
        }

        var budget = targets.TtftMs is { } ttft ? ttft - d.KvTransferMs - decode.Predicted.TtftMs : (double?)null;
        if (budget is <= 0)
        {
            return null;
        }

        var prefill = Settle(Replica(d.Pool, PlannerRole.Prefill), new PlannerTargets { Percentile = targets.Percentile, TtftMs = budget }, d.Pool.Replicas);
        if (prefill is null)
        {
            return null;
        }

        var combined = Combine(Replica(prefill, PlannerRole.Prefill), prefill.Replicas, prefill.Predicted, decodeReplica, decode.Replicas, decode.Predicted, d.KvTransferMs);
        return targets.AreMetBy(combined.Predicted) ? combined : null;
    }

    private PlannerMiss? Closest(List<Miss> misses)
    {
        var closest = misses.OrderBy(m => m.WorstRatio).ThenBy(m => m.Replica.Label, StringComparer.Ordinal).FirstOrDefault();
        if (closest is null)
        {
            return null;
        }

        var (name, predicted, target) = request.Targets.Each(closest.Predicted).OrderByDescending(t => t.PredictedMs / t.TargetMs).FirstOrDefault();
        if (name is null)
        {
            return new PlannerMiss("throughput", closest.Replica.Label, 0, 0, closest.WorstRatio,
                "the replicas could not keep up with the request rate within the GPU limit; allow more GPUs (--max-gpus)");
        }

        var advice = closest.CapLimited && request.MaxGpus is { } max
            ? string.Create(CultureInfo.InvariantCulture, $"allow more than {max} GPUs (--max-gpus), or relax the {request.Targets.PercentileName} {name} target to {Units.Seconds(predicted / 1e3)}")
            : string.Create(CultureInfo.InvariantCulture,
                $"even lightly loaded it predicts {request.Targets.PercentileName} {name} {Units.Seconds(predicted / 1e3)}: relax that target to at least {Units.Seconds(predicted / 1e3)}, shorten the requests, or add a faster GPU kind or more TP");
        return new PlannerMiss(name, closest.Replica.Label, predicted, target, closest.WorstRatio, advice);
    }
}

using System.Collections.Immutable;
using System.Globalization;
using PerfNotebooks.Analysis;
using PerfNotebooks.Models;
using PerfNotebooks.Physical;
namespace PerfNotebooks.Serving;

/// <summary>
/// A discrete-event simulation of a vLLM server under a benchmark client. The client starts requests as
/// <c>vllm bench serve</c> or aiperf does; the API server delays each request by its handling and tokenization and
/// each streamed token by its output path; the engine schedules as vLLM V1's <c>Scheduler.schedule</c> does —
/// running requests first (decodes and unfinished prefills, in admission order), then waiting ones while the token
/// budget (<c>max_num_batched_tokens</c>), <c>max_num_seqs</c> and free KV-cache blocks allow, chunking prompts to the
/// budget, preempting the latest-admitted request by recompute when blocks run out. Every step is timed by the
/// physical <see cref="StepModel"/>. The roofline bound runs the same benchmark again with bound step times and no
/// engine or API-server overhead.
/// </summary>
/// <remarks>
/// Each DP rank runs its own engine, with an API server per rank in front (vLLM's default): every request goes to the
/// engine vLLM's DP load balancer picks (least waiting × 4 + running, from counts refreshed every 100 ms and raised
/// locally at each pick). A
/// dense model's engines step independently, each on its own clock; an MoE model's step in lockstep, as vLLM runs them
/// (the MoE layers exchange tokens across the DP group every forward), each step as long as the slowest rank's. The
/// client, its concurrency limit and the statistics span them all. The same seed gives the same result.
/// </remarks>
public static class ServeSimulator
{
    /// <summary>Simulates <paramref name="benchmark"/>.</summary>
    /// <exception cref="ModelConfigException">The config lacks a shape the physical model needs.</exception>
    public static ServeBenchmarkResult Run(ServeBenchmark benchmark)
    {
        ArgumentNullException.ThrowIfNull(benchmark);
        var server = benchmark.Server;
        var model = PhysicalModel.From(benchmark.Source);
        var steps = new StepModel(model, benchmark.Gpu, server.Timer, server.Overhead, server.RoutingImbalance);
        var timer = steps.Timer.Kind;
        var notes = ImmutableArray.CreateBuilder<string>();
        notes.AddRange(model.Warnings);

        var dp = model.DataParallel;
        var workload = Workload.Create(benchmark.Client);
        var longest = workload.LongestContext;
        var plan = MemoryPlanner.Plan(model, benchmark.Gpu, server.GpuMemoryUtilization, longest);
        var defaults = ServerSettings.VllmDefaults(benchmark.Gpu);
        var budget = server.MaxNumBatchedTokens ?? defaults.MaxNumBatchedTokens;
        var maxSeqs = server.MaxNumSeqs ?? defaults.MaxNumSeqs;
        // vLLM: max_cudagraph_capture_size defaults to min(max_num_seqs × 2, 512) (vllm/config/vllm.py,
        // _set_cudagraph_sizes); enforce_eager captures nothing.
        var graphMax = server.EnforceEager ? 0 : server.MaxCudaGraphCaptureSize ?? Math.Min(maxSeqs * 2, 512);
        var kvBlocks = plan.TokensThatFit / server.BlockSize;
        var limits = new EngineLimits(budget, maxSeqs, server.BlockSize, kvBlocks, graphMax);
        var blocksForLongest = (longest + server.BlockSize - 1) / server.BlockSize;
        if (!plan.Fits || kvBlocks < blocksForLongest)
        {
            notes.Add(plan.Fits
                ? string.Create(CultureInfo.InvariantCulture, $"one request of {longest} tokens needs {blocksForLongest} KV blocks of {server.BlockSize} tokens; the cache holds {kvBlocks} per replica: vLLM would refuse to start (max_model_len too large for the KV cache)")
                : string.Create(CultureInfo.InvariantCulture, $"weights need {Units.Bytes((double)plan.WeightBytes)} per GPU, {Units.Bytes(plan.UsableBytes)} is usable: does not fit; vLLM would fail to load (use more TP/PP or quantize)"));
            return new ServeBenchmarkResult(benchmark, null, null, [], [], limits, plan, 0, 0, timer, notes.ToImmutable());
        }

        if (budget < workload.LongestInput && budget != ServerSettings.Unchunked)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"prompts of up to {workload.LongestInput} tokens are prefilled in chunks of at most {budget} tokens (max_num_batched_tokens)"));
        }

        if (dp > 1)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"DP{dp}: {dp} engines and API servers, each request sent to the engine of least waiting × 4 + running (vLLM's DP load balancer); {(model.Experts > 0 ? "the ranks step in lockstep (MoE), each step as long as the slowest rank's" : "each engine steps on its own")}"));
        }

        var api = benchmark.Client is StaticBatchClient ? ApiServerCosts.None : server.ApiServer ?? ApiServerCosts.Vllm;
        var lockstep = model.Experts > 0;
        var expected = new Frontend(workload, api, dp, lockstep, f => new Engine(steps, f, limits, server, bound: false));
        var bound = new Frontend(workload, ApiServerCosts.None, dp, lockstep, f => new Engine(steps, f, limits, server, bound: true));
        // The bound clock asks the step model for roofline bounds alone, which read only immutable state and never the
        // kernel timer (a caller's timer need not be thread-safe), so it runs on another thread beside the expected one.
        var boundRun = Task.Run(bound.Run);
        expected.Run();
        boundRun.GetAwaiter().GetResult();
        var preemptions = expected.Engines.Sum(e => e.Preemptions);
        if (preemptions > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{preemptions} preemptions: the KV cache ({kvBlocks} blocks of {server.BlockSize} tokens per replica) ran out and requests were recomputed"));
        }

        var goodput = benchmark.Client switch
        {
            BenchServeClient b => b.Goodput,
            AiperfClient a => a.Goodput,
            _ => null,
        };
        return new ServeBenchmarkResult(
            benchmark,
            expected.Metrics(goodput),
            bound.Metrics(goodput),
            expected.Engines[0].Timeline,
            expected.Timings(),
            limits,
            plan,
            expected.Engines.Sum(e => e.StepCount),
            preemptions,
            timer,
            notes.ToImmutable());
    }
}

using PerfNotebooks.Hardware;
using PerfNotebooks.Models;
using PerfNotebooks.Physical;
using PerfNotebooks.Serving;

namespace PerfNotebooks.Tests;

public class ServeSimulatorTests
{
    private static readonly GpuSpec H100 = GpuCatalog.Find("H100-SXM");

    private static ModelSource Source(string name, EngineSettings? engine = null) =>
        ModelSource.Resolve(ModelCatalog.Find(name).Load(), engine);

    private static ServeBenchmarkResult Run(LoadClient client, ServerSettings? server = null, string model = "llama-3.1-8b") =>
        ServeSimulator.Run(new ServeBenchmark { Source = Source(model), Gpu = H100, Client = client, Server = server ?? new ServerSettings() });

    [Fact]
    public void Static_batch_is_one_prefill_then_decode_steps_with_growing_context()
    {
        var source = Source("llama-3.1-8b");
        var result = ServeSimulator.Run(ServeBenchmark.StaticBatch(source, H100, 8, 32, 128));
        var steps = new StepModel(PhysicalModel.From(source), H100);

        // Hand-built: one step prefills the 8 prompts of 32 tokens, then 127 decode steps at contexts 33 … 159.
        var ttft = steps.Estimate(Batch.Empty.WithPrefills(8, 32)).ExpectedSeconds;
        var decodes = Enumerable.Range(1, 127).Sum(k => steps.Estimate(Batch.Decodes(8, 32 + k)).ExpectedSeconds);
        var e = result.Expected!;
        Assert.Equal(128, result.Steps);
        Assert.Equal(ttft, e.Ttft.MeanSeconds, 12);
        Assert.Equal(ttft, e.Ttft.P99Seconds, 12);
        Assert.Equal(ttft + decodes, e.E2el.MeanSeconds, 9);
        Assert.Equal(decodes / 127, e.Tpot.MeanSeconds, 12);
        Assert.Equal(decodes / 127, e.Itl.MeanSeconds, 12);
        Assert.Equal(8 * 128 / (ttft + decodes), e.OutputThroughput, 6);
        Assert.Equal(8 * (32 + 128) / (ttft + decodes), e.TotalTokenThroughput, 6);
        Assert.Equal(8, e.MaxConcurrentRequests);
        Assert.True(result.Bound!.E2el.MeanSeconds < e.E2el.MeanSeconds);
        Assert.Empty(result.Notes);
    }

    [Fact]
    public void One_request_alone_is_the_static_batch_of_one_plus_the_api_server()
    {
        var single = Run(new StaticBatchClient { Batch = 1, Dataset = RandomDataset.Fixed(1000, 100) });
        var served = Run(new BenchServeClient { NumPrompts = 1, Dataset = RandomDataset.Fixed(1000, 100) });

        // The API server takes 2 ms plus 1.3 µs per prompt token in, and 0.3 ms per streamed token out; the engine's
        // steps are the same.
        var api = ApiServerCosts.Vllm;
        var ingress = api.RequestSeconds + (1000 * api.TokenizeSecondsPerToken);
        Assert.Equal(single.Expected!.Ttft.MeanSeconds + ingress + api.OutputSeconds, served.Expected!.Ttft.MeanSeconds, 12);
        Assert.Equal(single.Expected.E2el.MeanSeconds + ingress + api.OutputSeconds, served.Expected.E2el.MeanSeconds, 12);
        Assert.Equal(single.Expected.Tpot.MeanSeconds, served.Expected.Tpot.MeanSeconds, 12);
        Assert.Equal(single.Steps, served.Steps);

        // The bound has no API server: both clients give the same figures.
        Assert.Equal(single.Bound!.E2el.MeanSeconds, served.Bound!.E2el.MeanSeconds, 12);
    }

    [Fact]
    public void Long_prompts_are_chunked_by_the_token_budget()
    {
        var result = Run(new StaticBatchClient { Batch = 1, Dataset = RandomDataset.Fixed(10_000, 2) }, new ServerSettings { MaxNumBatchedTokens = 4096 });

        Assert.Equal(4, result.Steps);   // 4096 + 4096 + 1808 prompt tokens (the last chunk samples token 1), then one decode
        Assert.Equal([4096, 4096, 1808, 1], result.Timeline.Select(s => s.ScheduledTokens));
        Assert.Contains(result.Notes, n => n.Contains("chunks of at most 4096", StringComparison.Ordinal));
    }

    [Fact]
    public void The_same_seed_gives_identical_results_and_another_seed_does_not()
    {
        BenchServeClient Client(int seed) => new()
        {
            NumPrompts = 300,
            RequestRate = 20,
            Burstiness = 0.5,
            Seed = seed,
            Dataset = new RandomDataset { InputLen = 1000, OutputLen = 100, RangeRatio = 0.5 },
        };
        var a = Run(Client(7));
        var b = Run(Client(7));
        var c = Run(Client(8));

        Assert.Equal(a.Expected, b.Expected);
        Assert.Equal(a.Bound, b.Bound);
        Assert.True(a.Requests.SequenceEqual(b.Requests));
        Assert.True(a.Timeline.SequenceEqual(b.Timeline));
        Assert.NotEqual(a.Expected!.Ttft, c.Expected!.Ttft);
    }

    /// A kernel timer that remembers which threads called it (timers need not be thread-safe: the planner's memoises).
    private sealed class ThreadRecordingTimer(IKernelTimer inner) : KernelTimerDecorator(inner)
    {
        public HashSet<int> Threads { get; } = [];

        protected override KernelTime Map(KernelTime time, OperationKind kind)
        {
            lock (Threads)
            {
                Threads.Add(Environment.CurrentManagedThreadId);
            }

            return time;
        }
    }

    [Fact]
    public void The_kernel_timer_is_called_only_on_the_callers_thread_while_the_bound_clock_runs_beside()
    {
        var timer = new ThreadRecordingTimer(Physical.Kernels.KernelTimers.Expected(H100));
        var client = new BenchServeClient { NumPrompts = 200, MaxConcurrency = 16 };

        var result = Run(client, new ServerSettings { Timer = timer });

        Assert.Equal([Environment.CurrentManagedThreadId], timer.Threads);
        Assert.Equal(Run(client).Bound, result.Bound);
        Assert.True(result.Bound!.Ttft.MeanSeconds < result.Expected!.Ttft.MeanSeconds);
    }

    [Fact]
    public void Data_parallel_ranks_serve_the_clients_requests_and_the_counts_are_the_clients()
    {
        // 1,000 prompts over three ranks: not a multiple of three, and every one is served once.
        var client = new BenchServeClient { NumPrompts = 1000, MaxConcurrency = 96, Dataset = RandomDataset.Fixed(512, 64) };

        var result = ServeSimulator.Run(new ServeBenchmark { Source = Source("llama-3.1-8b", new EngineSettings { DataParallel = 3 }), Gpu = H100, Client = client });

        var e = result.Expected!;
        Assert.Equal((1000L, 512_000L, 64_000L), (e.Completed, e.TotalInputTokens, e.TotalOutputTokens));
        Assert.Equal(1000, result.Requests.Length);
        Assert.Equal(96, e.MaxConcurrentRequests);
        Assert.Contains(result.Notes, n => n.StartsWith("DP3: 3 engines", StringComparison.Ordinal));
        // The load balancer keeps a third of the 96 in flight on the first rank.
        Assert.InRange(result.Timeline.Max(s => s.Running), 30, 34);
    }

    [Fact]
    public void Two_data_parallel_ranks_at_twice_the_concurrency_serve_as_one_rank_does_at_twice_the_throughput()
    {
        AiperfClient Client(long concurrency) => AiperfClient.Standard(concurrency, 1024, 256);
        var one = ServeSimulator.Run(new ServeBenchmark { Source = Source("llama-3.1-8b"), Gpu = H100, Client = Client(16) }).Expected!;
        var two = ServeSimulator.Run(new ServeBenchmark { Source = Source("llama-3.1-8b", new EngineSettings { DataParallel = 2 }), Gpu = H100, Client = Client(32) }).Expected!;

        // The balancer splits the closed loop evenly (each rank keeps 16 in flight), so each rank runs as the one does.
        Assert.Equal(2 * one.Completed, two.Completed);
        Assert.Equal(1, two.OutputThroughput / one.OutputThroughput / 2, 0.01);
        Assert.Equal(1, two.Tpot.MeanSeconds / one.Tpot.MeanSeconds, 0.01);
        Assert.Equal(1, two.Ttft.MeanSeconds / one.Ttft.MeanSeconds, 0.01);
    }

    [Fact]
    public void An_moe_models_data_parallel_ranks_step_in_lockstep_as_long_as_the_slowest()
    {
        // A static batch of 3 over two ranks: the balancer puts two on rank 0 and one on rank 1. The MoE layers join
        // the ranks every step, so rank 1's lone prefill ends with rank 0's two: all three first tokens come together,
        // after the two-prompt prefill, and no request finishes before the two-request decode steps do.
        var source = Source("qwen3-30b-a3b", new EngineSettings { DataParallel = 2, EnableExpertParallel = true });
        var steps = new StepModel(PhysicalModel.From(source), H100);

        var result = ServeSimulator.Run(ServeBenchmark.StaticBatch(source, H100, 3, 512, 16));

        var twoPrefills = steps.Estimate(Batch.Empty.WithPrefills(2, 512)).ExpectedSeconds;
        Assert.True(twoPrefills > steps.Estimate(Batch.Prefill(512)).ExpectedSeconds);
        Assert.All(result.Requests, r => Assert.Equal(twoPrefills, r.FirstTokenSeconds, 12));
        Assert.Single(result.Requests.Select(r => r.FinishSeconds).Distinct());
        Assert.Contains(result.Notes, n => n.Contains("lockstep", StringComparison.Ordinal));
    }

    [Fact]
    public void Random_lengths_stay_within_the_range_ratio()
    {
        var result = Run(new BenchServeClient { NumPrompts = 200, Dataset = new RandomDataset { InputLen = 1000, OutputLen = 100, RangeRatio = 0.25 } });

        // ⌊1000 · 0.75⌋ … ⌈1000 · 1.25⌉ and ⌊100 · 0.75⌋ … ⌈100 · 1.25⌉, as vLLM's RandomDataset draws them.
        Assert.All(result.Requests, r => Assert.InRange(r.InputTokens, 750, 1250));
        Assert.All(result.Requests, r => Assert.InRange(r.OutputTokens, 75, 125));
        Assert.True(result.Requests.Select(r => r.InputTokens).Distinct().Count() > 50);
        Assert.Equal(result.Requests.Sum(r => r.InputTokens), result.Expected!.TotalInputTokens);
    }

    [Fact]
    public void Evenly_spaced_arrivals_start_at_one_over_the_rate()
    {
        // Infinite burstiness: every gap is 1/rate, and the rescaling to n ÷ rate leaves them so.
        var result = Run(new BenchServeClient { NumPrompts = 10, RequestRate = 4, Burstiness = double.PositiveInfinity, Dataset = RandomDataset.Fixed(100, 10) });

        Assert.Equal(Enumerable.Range(1, 10).Select(i => i / 4.0), result.Requests.Select(r => Math.Round(r.ArrivalSeconds, 12)));
        Assert.Equal(result.Requests.Select(r => r.ArrivalSeconds), result.Requests.Select(r => r.SentSeconds));
    }

    [Fact]
    public void Poisson_arrivals_end_at_the_number_of_prompts_over_the_rate()
    {
        var result = Run(new BenchServeClient { NumPrompts = 500, RequestRate = 25, Dataset = RandomDataset.Fixed(100, 10) });

        Assert.Equal(20.0, result.Requests[^1].ArrivalSeconds, 9);   // serve.py rescales the last arrival to 500 / 25 s
        var gaps = result.Requests.Zip(result.Requests.Skip(1), (a, b) => b.ArrivalSeconds - a.ArrivalSeconds).ToArray();
        Assert.All(gaps, g => Assert.True(g >= 0));
        Assert.InRange(gaps.Average(), 0.035, 0.045);
    }

    [Fact]
    public void A_concurrency_limit_sends_each_request_when_a_slot_frees()
    {
        var result = Run(new BenchServeClient { NumPrompts = 20, MaxConcurrency = 1, Dataset = RandomDataset.Fixed(500, 20) });

        // One in flight: request i + 1 leaves the client the moment request i's last token arrives.
        for (var i = 1; i < result.Requests.Length; i++)
        {
            Assert.Equal(result.Requests[i - 1].FinishSeconds, result.Requests[i].SentSeconds);
        }

        Assert.Equal(1, result.Expected!.MaxConcurrentRequests);
    }

    [Fact]
    public void Aiperf_leaves_warm_up_out_and_starts_measuring_when_it_has_drained()
    {
        var result = Run(AiperfClient.Standard(4, 500, 20));
        var warmup = result.Requests.Where(r => !r.Measured).ToList();
        var measured = result.Requests.Where(r => r.Measured).ToList();

        Assert.Equal(8, warmup.Count);
        Assert.Equal(80, measured.Count);
        Assert.Equal(80, result.Expected!.Completed);
        var drained = warmup.Max(r => r.FinishSeconds);
        Assert.All(measured.Take(4), r => Assert.Equal(drained, r.SentSeconds));
        Assert.Equal(measured.Max(r => r.FinishSeconds) - drained, result.Expected.DurationSeconds, 12);
    }

    [Fact]
    public void Littles_law_holds_on_the_engine_queue()
    {
        var result = Run(new BenchServeClient { NumPrompts = 400, RequestRate = 8, Dataset = RandomDataset.Fixed(1000, 200) });

        // L = λ·W: the time-averaged number of requests in the engine (running + waiting, from the step timeline)
        // equals the arrival rate times the mean time a request spends in the engine (arrival to last token).
        var span = result.Timeline[^1].TimeSeconds;
        var inEngine = result.Timeline.Sum(s => (s.Running + s.Waiting) * s.StepSeconds) / span;
        var output = ApiServerCosts.Vllm.OutputSeconds;
        var meanTime = result.Requests.Average(r => r.FinishSeconds - output - r.EngineArrivalSeconds);
        var rate = result.Requests.Length / span;
        Assert.Equal(rate * meanTime, inEngine, 0.03 * inEngine);
        Assert.InRange(inEngine, 5, 200);
    }

    [Fact]
    public void Ttft_grows_with_load()
    {
        double Ttft(double rate) => Run(new BenchServeClient { NumPrompts = 300, RequestRate = rate, Dataset = RandomDataset.Fixed(2000, 100) }).Expected!.Ttft.MeanSeconds;

        var light = Ttft(1);
        var heavy = Ttft(40);
        Assert.True(heavy > 2 * light, $"{heavy} vs {light}");
    }

    [Fact]
    public void Requests_beyond_the_kv_cache_are_preempted_and_recomputed()
    {
        // 70B at TP4 on H100: about 54 sequences of 8192 tokens fit per replica; 200 in flight run the cache out.
        var source = Source("llama-3.1-70b", new EngineSettings { TensorParallel = 4 });
        var result = ServeSimulator.Run(ServeBenchmark.Aiperf(source, H100, 200, 4096, 4096) with
        {
            Client = AiperfClient.Standard(200, 4096, 4096) with { NumRequests = 200, WarmupRequests = 0 },
        });

        Assert.True(result.Preemptions > 0);
        Assert.Contains(result.Notes, n => n.Contains("preemptions", StringComparison.Ordinal));
        Assert.InRange(result.Timeline.Max(s => s.KvCacheUsage), 0.95, 1);
        Assert.Equal(result.Preemptions, result.Requests.Sum(r => r.Preemptions));
        Assert.All(result.Requests, r => Assert.True(r.FinishSeconds > r.FirstTokenSeconds));
    }

    [Fact]
    public void A_model_that_does_not_fit_gives_no_figures_and_says_why()
    {
        var result = ServeSimulator.Run(ServeBenchmark.StaticBatch(Source("llama-3.1-405b"), H100, 1, 128, 128));

        Assert.False(result.Fits);
        Assert.Null(result.Expected);
        Assert.Contains("does not fit", result.ToString(), StringComparison.Ordinal);
        Assert.Contains(result.Notes, n => n.Contains("vLLM would fail to load", StringComparison.Ordinal));
    }

    [Fact]
    public void Goodput_counts_requests_meeting_every_slo()
    {
        var loose = Run(new BenchServeClient { NumPrompts = 50, Goodput = new GoodputSlo { TtftSeconds = 1e3 }, Dataset = RandomDataset.Fixed(500, 20) });
        var strict = Run(new BenchServeClient { NumPrompts = 50, Goodput = new GoodputSlo { TtftSeconds = 1e-6 }, Dataset = RandomDataset.Fixed(500, 20) });
        var none = Run(new BenchServeClient { NumPrompts = 50, Dataset = RandomDataset.Fixed(500, 20) });

        Assert.Equal(loose.Expected!.RequestThroughput, loose.Expected.RequestGoodput!.Value, 12);
        Assert.Equal(0, strict.Expected!.RequestGoodput);
        Assert.Null(none.Expected!.RequestGoodput);
    }

    [Fact]
    public void Latency_statistics_are_numpys()
    {
        // numpy: mean 2.5, median 2.5, std sqrt(1.25), percentile 90 → 1 + 0.9·3 = 3.7, 99 → 3.97.
        var s = LatencyStats.Of([4, 1, 3, 2]);

        Assert.Equal(new LatencyStats(2.5, 2.5, Math.Sqrt(1.25), 3.7, 3.97), s with { P90Seconds = Math.Round(s.P90Seconds, 12), P99Seconds = Math.Round(s.P99Seconds, 12) });
        Assert.Equal(default, LatencyStats.Of([]));
    }

    [Theory]
    [InlineData("ttft:500 tpot:50", 0.5, 0.05, null)]
    [InlineData("e2el:2000,ttft:100", 0.1, null, 2.0)]
    public void Goodput_parses_vllm_bench_serve_pairs(string text, double? ttft, double? tpot, double? e2el)
    {
        Assert.True(GoodputSlo.TryParse(text, out var slo, out _));
        Assert.Equal(new GoodputSlo { TtftSeconds = ttft, TpotSeconds = tpot, E2elSeconds = e2el }, slo);
    }

    [Theory]
    [InlineData("ttft", "is not KEY:MS")]
    [InlineData("latency:5", "'latency' is not one of ttft, tpot, e2el")]
    public void Goodput_rejects_bad_pairs_in_one_line(string text, string message)
    {
        Assert.False(GoodputSlo.TryParse(text, out _, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Pipeline_time_per_output_token_is_every_stage_plus_the_transfers()
    {
        // Given a static batch of 64 (2,048 in, 16 out) at TP4, once in one pipeline stage and once in two.
        // Every prompt is prefilled in one step, so each later step is a pure decode of all 64.
        var client = new StaticBatchClient { Batch = 64, Dataset = RandomDataset.Fixed(2048, 16) };
        var server = new ServerSettings { MaxNumBatchedTokens = ServerSettings.Unchunked, MaxNumSeqs = 64 };
        var pp1 = PerfModel.Load("llama-3.1-70b", new EngineSettings { TensorParallel = 4 }).Serve(H100, client, server);
        var pp2 = PerfModel.Load("llama-3.1-70b", new EngineSettings { TensorParallel = 4, PipelineParallel = 2 }).Serve(H100, client, server);

        // Then each decode step of the two-stage run costs both stages plus one activation transfer between them.
        var transfer = LinkModel.NcclLatencySeconds + (64.0 * 8192 * 2 * 2 / (H100.InterconnectBytesPerSecond / 2));
        Assert.Equal(pp1.Expected!.Tpot.MeanSeconds + transfer, pp2.Expected!.Tpot.MeanSeconds, 9);
        Assert.True(pp2.Bound!.Tpot.MeanSeconds < pp2.Expected.Tpot.MeanSeconds);
    }
}

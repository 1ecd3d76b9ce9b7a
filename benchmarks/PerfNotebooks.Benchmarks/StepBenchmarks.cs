using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using PerfNotebooks.Models;
using PerfNotebooks.Vllm;
using PerfNotebooks.Vllm.Stats;
namespace PerfNotebooks.Benchmarks;

/// The metrics core's hot paths: building ModelMetrics, one breakdown for a batch, and a scheduler step's stats.
[MemoryDiagnoser]
public class StepBenchmarks
{
    private ModelSource _source = null!;
    private ModelMetrics _metrics = null!;
    private Batch _ctx;
    private SchedulerStep _step = null!;

    [Params("llama-3.1-8b", "llama-3.1-70b", "qwen3-235b-a22b")]
    public string Model { get; set; } = "llama-3.1-70b";

    [Params(1, 256, 1024)]
    public int Requests { get; set; } = 1;

    [Params("2025-12", "2026-09")]
    public string Vllm { get; set; } = "2026-09";

    [GlobalSetup]
    public void Setup()
    {
        _source = ModelSource.Resolve(ModelCatalog.Find(Model).Load(), new EngineSettings { TensorParallel = 4, Vllm = VllmRevision.Parse(Vllm) });
        _metrics = ModelMetrics.Create(_source);
        // One chunked prefill plus decodes at growing contexts, like a busy continuous-batching step.
        _ctx = Batch.Prefill(2048, 4096);
        var cached = ImmutableArray.CreateBuilder<(long, long)>();
        for (var i = 1; i < Requests; i++)
        {
            _ctx = _ctx.Add(1, 1000 + (i * 37), isPrefill: false);
            cached.Add((1, 999 + (i * 37)));
        }

        _step = SchedulerStep.FromCounts([(2048, 2048)], cached.ToImmutable());
    }

    [Benchmark(Description = "ModelMetrics.Create")]
    public ModelMetrics Build() => ModelMetrics.Create(_source);

    [Benchmark(Description = "Flops breakdown")]
    public Breakdown FlopsBreakdown() => _metrics.Flops(_ctx);

    [Benchmark(Description = "Totals (3 metrics)")]
    public StepTotals Totals() => _metrics.Totals(_ctx);

    [Benchmark(Description = "StepStats")]
    public PerfStats StepStats() => _metrics.StepStats(_step);

    [Benchmark(Description = "StepStats debug")]
    public PerfStats StepStatsDebug() => _metrics.StepStats(_step, debug: true);
}

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using PerfNotebooks.Hardware;
using PerfNotebooks.Models;
using PerfNotebooks.Physical;
using PerfNotebooks.Serving;
namespace PerfNotebooks.Benchmarks;

/// The physical book's costs: one expected-time step estimate (the per-sweep-point cost), a 2,000-step static batch,
/// a 1,000-prompt vllm bench serve benchmark and 10,000 requests through ServeSimulator.Run (each on both clocks,
/// expected and bound), on H100-SXM with the shipped fitted kernel timer.
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, warmupCount: 1, iterationCount: 5)]
public class ServingBenchmarks
{
    private ModelSource _source = null!;
    private StepModel _steps = null!;
    private GpuSpec _gpu = null!;

    [Params("llama-3.1-8b", "qwen3-30b-a3b")]
    public string Model { get; set; } = "llama-3.1-8b";

    [GlobalSetup]
    public void Setup()
    {
        _gpu = GpuCatalog.Find("H100-SXM");
        _source = ModelSource.Resolve(ModelCatalog.Find(Model).Load());
        _steps = new StepModel(PhysicalModel.From(_source), _gpu);
    }

    [Benchmark(Description = "expected step estimate (decode 64, context 128..128k)", OperationsPerInvoke = 1000)]
    public double StepEstimates()
    {
        double sum = 0;
        for (var c = 1; c <= 1000; c++)
        {
            sum += _steps.Estimate(Batch.Decodes(64, c * 128)).ExpectedSeconds;
        }

        return sum;
    }

    [Benchmark(Description = "static batch 64 x (1000 in, 2000 out), 2000 steps")]
    public ServeBenchmarkResult StaticBatch() => ServeSimulator.Run(ServeBenchmark.StaticBatch(_source, _gpu, 64, 1000, 2000));

    [Benchmark(Description = "vllm bench serve, 1000 prompts (1024 in, 128 out) at 10 req/s")]
    public ServeBenchmarkResult BenchServe1000() => ServeSimulator.Run(ServeBenchmark.BenchServe(_source, _gpu, new BenchServeClient { NumPrompts = 1000, RequestRate = 10 }));

    [Benchmark(Description = "vllm bench serve, 10000 prompts (1024 in, 128 out), max concurrency 64")]
    public ServeBenchmarkResult BenchServe10000() => ServeSimulator.Run(ServeBenchmark.BenchServe(_source, _gpu, new BenchServeClient { NumPrompts = 10_000, MaxConcurrency = 64 }));
}

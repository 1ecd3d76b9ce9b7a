using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using PerfNotebooks.Analysis;
using PerfNotebooks.Hardware;
using PerfNotebooks.Models;
using PerfNotebooks.Physical;

namespace PerfNotebooks.Benchmarks;

/// The physical book's costs: one expected-time step estimate (the per-sweep-point cost), a 2,000-step static batch
/// and a closed loop through ServingSimulator.Run, on H100-SXM with the shipped fitted kernel timer.
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
    public ServeResult StaticBatch() => ServingSimulator.Run(ServeRequest.StaticBatch(_source, _gpu, 64, 1000, 2000));

    [Benchmark(Description = "closed loop concurrency 64 x (1000 in, 500 out)")]
    public ServeResult ClosedLoop() => ServingSimulator.Run(ServeRequest.ClosedLoop(_source, _gpu, 64, 1000, 500));
}

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using PerfNotebooks.Analysis;

namespace PerfNotebooks.Benchmarks;

/// A 1,000,000-point sweep (1,000 decode batch sizes × 1,000 context lengths) for one model, engine and GPU:
/// each point evaluated to totals and per-operation roofline time, then counted or streamed to CSV.
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, warmupCount: 1, iterationCount: 5)]
public class SweepBenchmarks
{
    private SweepSpec _spec = null!;

    [Params("llama-3.1-70b", "qwen3-235b-a22b")]
    public string Model { get; set; } = "llama-3.1-70b";

    [GlobalSetup]
    public void Setup() => _spec = new SweepSpec
    {
        Models = [Model],
        Gpus = ["H100-SXM"],
        TensorParallel = [8],
        Batches = [.. BatchShape.DecodeGrid(Enumerable.Range(1, 1000).Select(b => (long)b), Enumerable.Range(1, 1000).Select(c => (long)c * 128))],
    };

    [Benchmark(Description = "1M points to rows")]
    public long Rows() => Sweep.Run(_spec).LongCount();

    [Benchmark(Description = "1M points to CSV")]
    public long Csv() => Sweep.WriteCsv(_spec, TextWriter.Null);
}

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using PerfNotebooks.Serving;
namespace PerfNotebooks.Benchmarks;

/// The capacity planner end to end: every candidate of a grid judged (layout check, memory check, then simulations of
/// vllm bench serve at each candidate's share of the rate), the best confirmed with 1,000 prompts.
/// "llama-3.1-70b" is `perfnb plan llama-3.1-70b --request-rate 10 --input-len 2048 --output-len 256 --ttft-ms 1000
/// --tpot-ms 50` (every catalog GPU, TP 1..8 × PP 1..8); "wide grid" adds KV-cache dtypes auto/fp8 and DP 1..8 to it.
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, warmupCount: 1, iterationCount: 3)]
public class PlannerBenchmarks
{
    private PerfModel _model = null!;
    private PlannerRequest _request = null!;

    [Params("llama-3.1-70b", "wide grid")]
    public string Grid { get; set; } = "llama-3.1-70b";

    [GlobalSetup]
    public void Setup()
    {
        _model = PerfModel.Load("llama-3.1-70b");
        _request = new PlannerRequest
        {
            RequestRate = 10,
            InputTokens = 2048,
            OutputTokens = 256,
            Targets = new PlannerTargets { TtftMs = 1000, TpotMs = 50 },
        };
        if (Grid == "wide grid")
        {
            _request = _request with { KvCacheDtypes = ["auto", "fp8"], DataParallel = [1, 2, 4, 8] };
        }
    }

    [Benchmark(Description = "plan: every candidate judged")]
    public PlannerResult Plan() => _model.Plan(_request);
}

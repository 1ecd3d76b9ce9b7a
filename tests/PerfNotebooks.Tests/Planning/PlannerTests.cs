using System.Collections.Immutable;
using PerfNotebooks.Hardware;
using PerfNotebooks.Serving;
namespace PerfNotebooks.Tests.Planning;

public partial class PlannerTests
{
    private const string Model = "llama-3.1-8b";
    private const int Prompts = 100;

    private static readonly GpuSpec H100 = GpuCatalog.Find("H100-SXM");
    private static readonly GpuSpec A100 = GpuCatalog.Find("A100-80GB");

    private static PerfModel Llama8b { get; } = PerfModel.Load(Model);

    /// A small grid: two GPU kinds × TP 1, 2 × PP 1; search and confirmation with the same prompts, so the search is
    /// exactly the brute force over serve.
    private static PlannerRequest Small(double rate = 6, double ttftMs = 400, double tpotMs = 25) => new()
    {
        RequestRate = rate,
        InputTokens = 1024,
        OutputTokens = 64,
        Targets = new PlannerTargets { TtftMs = ttftMs, TpotMs = tpotMs },
        Gpus = [H100, A100],
        TensorParallel = [1, 2],
        PipelineParallel = [1],
        NumPrompts = Prompts,
        SearchPrompts = Prompts,
        RunnersUp = 3,
    };

    /// What `perfnb serve --request-rate R --num-prompts N --input-len I --output-len O` simulates for one replica.
    private static ServeBenchmarkResult Serve(DeploymentPool pool, PlannerRequest request) =>
        ServeSimulator.Run(ServeBenchmark.BenchServe(
            PerfModel.Load(Model, pool.Engine).Source,
            pool.Gpu,
            new BenchServeClient
            {
                NumPrompts = request.NumPrompts,
                RequestRate = pool.RequestRatePerReplica,
                Dataset = RandomDataset.Fixed(request.InputTokens, request.OutputTokens),
            }));

    [Fact]
    public void Plan_best_resimulated_by_serve_at_its_share_of_the_rate_meets_every_target()
    {
        var request = Small();

        var best = Llama8b.Plan(request).Best;

        Assert.NotNull(best);
        Assert.Equal(request.RequestRate / best.Pool.Replicas, best.Pool.RequestRatePerReplica, 12);
        var metrics = Serve(best.Pool, request).Expected!;
        Assert.True(metrics.Ttft.P90Seconds * 1e3 <= 400, $"p90 TTFT {metrics.Ttft.P90Seconds * 1e3} ms");
        Assert.True(metrics.Tpot.P90Seconds * 1e3 <= 25, $"p90 TPOT {metrics.Tpot.P90Seconds * 1e3} ms");
        Assert.Equal(metrics.Ttft.P90Seconds * 1e3, best.Predicted.TtftMs, 9);
        Assert.Equal(metrics.Tpot.P90Seconds * 1e3, best.Predicted.TpotMs, 9);
    }

    [Fact]
    public void Plan_on_a_small_grid_equals_brute_force_over_serve()
    {
        var request = Small();
        var brute = new List<(long Gpus, double Ttft, string Label)>();
        foreach (var gpu in new[] { H100, A100 })
        {
            foreach (var tp in new[] { 1, 2 })
            {
                var engine = new EngineSettings { TensorParallel = tp };
                for (var n = 1; n <= 12; n++)
                {
                    var metrics = Serve(new DeploymentPool(gpu, engine, n, request.RequestRate / n, null!), request).Expected;
                    if (metrics is { } m && m.Ttft.P90Seconds * 1e3 <= 400 && m.Tpot.P90Seconds * 1e3 <= 25)
                    {
                        brute.Add((n * tp, m.Ttft.P90Seconds * 1e3, $"{gpu.Name} TP{tp} × {n}"));
                        break;
                    }
                }
            }
        }

        var best = Llama8b.Plan(request).Best!;

        var fewest = brute.Min(b => b.Gpus);
        Assert.Equal(fewest, best.Gpus);
        var winner = brute.Where(b => b.Gpus == fewest).OrderBy(b => b.Ttft).First();
        Assert.Equal(winner.Label, $"{best.Gpu.Name} TP{best.Engine.TensorParallel} × {best.Pool.Replicas}");
    }

    [Fact]
    public void Plan_more_traffic_never_needs_fewer_gpus()
    {
        var gpus = new[] { 5.0, 20, 60, 120 }.Select(rate => Llama8b.Plan(Small(rate)).Best!.Gpus).ToArray();

        Assert.Equal(gpus.Order(), gpus);
        Assert.True(gpus[^1] > gpus[0], string.Join(",", gpus));
    }

    [Fact]
    public void Plan_looser_targets_never_need_more_gpus()
    {
        var gpus = new[] { 150.0, 300, 600, 2000 }.Select(ttft => Llama8b.Plan(Small(10, ttft, 40)).Best!.Gpus).ToArray();

        Assert.Equal(gpus.OrderDescending(), gpus);
    }

    [Fact]
    public void Plan_is_deterministic()
    {
        var first = Llama8b.Plan(Small());
        var second = Llama8b.Plan(Small());

        Assert.Equal(first.Best!.ToString(), second.Best!.ToString());
        Assert.Equal(first.Best.Predicted, second.Best.Predicted);
        Assert.Equal(first.RunnersUp.Select(d => d.Predicted), second.RunnersUp.Select(d => d.Predicted));
        Assert.Equal(first.Pareto.AsEnumerable(), second.Pareto.AsEnumerable());
        Assert.Equal((first.Candidates, first.Simulations), (second.Candidates, second.Simulations));
        Assert.Equal(first.Paragraph, second.Paragraph);
    }

    [Fact]
    public void Plan_that_nothing_meets_names_the_closest_target_and_what_it_takes()
    {
        var result = Llama8b.Plan(Small(6, ttftMs: 1, tpotMs: 25));

        Assert.Null(result.Best);
        Assert.NotNull(result.Closest);
        Assert.Equal("TTFT", result.Closest.Target);
        Assert.True(result.Closest.PredictedMs > 1);
        Assert.Contains("relax", result.Closest.Advice, StringComparison.Ordinal);
        Assert.StartsWith("No deployment of llama-3.1-8b serves", result.Paragraph, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_paragraph_names_gpu_layout_replicas_gpus_cost_and_targets()
    {
        var request = Small() with { GpuCostPerHour = ImmutableDictionary.CreateRange(StringComparer.OrdinalIgnoreCase, [new KeyValuePair<string, double>("H100-SXM", 3), new("A100-80GB", 1.5)]) };

        var result = Llama8b.Plan(request);

        var best = result.Best!;
        Assert.Equal(best.Gpus * (best.Gpu.Name == "H100-SXM" ? 3 : 1.5), best.CostPerHour!.Value, 9);
        // $ per million output tokens = $/h ÷ (rate × output × 3600 ÷ 1e6)
        Assert.Equal(best.CostPerHour.Value / (6 * 64 * 3600 / 1e6), best.CostPerMillionOutputTokens!.Value, 9);
        var paragraph = result.Paragraph;
        Assert.Contains(best.Gpu.Name, paragraph, StringComparison.Ordinal);
        Assert.Contains($"{best.Gpus} GPUs in total", paragraph, StringComparison.Ordinal);
        Assert.Contains("per million output tokens", paragraph, StringComparison.Ordinal);
        Assert.Contains("p90 TTFT", paragraph, StringComparison.Ordinal);
        Assert.Contains("(target 400 ms)", paragraph, StringComparison.Ordinal);
        Assert.True(result.RunnersUp.All(r => r.CostPerHour >= best.CostPerHour));
    }

    [Fact]
    public void Plan_max_gpus_leaves_out_layouts_and_deployments_over_the_limit()
    {
        var result = Llama8b.Plan(Small(20) with { MaxGpus = 4 });

        Assert.All(new[] { result.Best }.Concat(result.RunnersUp).OfType<Deployment>(), d => Assert.True(d.Gpus <= 4));
    }
}

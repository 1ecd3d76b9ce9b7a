using PerfNotebooks.Hardware;
using PerfNotebooks.Physical;
using PerfNotebooks.Serving;
namespace PerfNotebooks.Tests.Planning;

public class PlannerPartsTests
{
    [Theory]
    // (1 − a^(k+1)) ÷ (1 − a): k = 3, a = 0.7 → (1 − 0.2401) ÷ 0.3 = 2.533; a = 0 → 1; a = 1 → k + 1.
    [InlineData(3, 0.7, 2.533)]
    [InlineData(3, 0.0, 1.0)]
    [InlineData(3, 1.0, 4.0)]
    [InlineData(1, 0.5, 1.5)]
    public void Speculation_tokens_per_step_follow_the_geometric_series(int k, double a, double expected)
    {
        Assert.Equal(expected, new PlannerSpeculation { DraftTokens = k, AcceptanceRate = a }.TokensPerStep, 9);
    }

    [Fact]
    public void Speculation_parses_tokens_acceptance_and_draft_cost()
    {
        Assert.True(PlannerSpeculation.TryParse("4:0.8:0.02", out var spec, out _));
        Assert.Equal((4, 0.8, 0.02), (spec!.DraftTokens, spec.AcceptanceRate, spec.DraftCost));
        Assert.Equal(1.08, spec.StepCost, 12);
        Assert.False(PlannerSpeculation.TryParse("4:1.5", out _, out var error));
        Assert.Contains("'4:1.5'", error, StringComparison.Ordinal);
        Assert.False(PlannerSpeculation.TryParse("0:0.5", out _, out _));
    }

    [Fact]
    public void Speculation_simulates_one_token_per_verification_step()
    {
        var request = new PlannerRequest { RequestRate = 1, InputTokens = 128, OutputTokens = 101, Speculation = new PlannerSpeculation { DraftTokens = 3, AcceptanceRate = 1 } };

        // 100 tokens after the first at 4 per step: 25 steps, so 26 simulated tokens.
        Assert.Equal(26, PlannerSimulation.SimulatedOutput(request));
    }

    [Fact]
    public void Pareto_front_keeps_points_no_other_beats_on_both_axes()
    {
        PlannerParetoPoint P(string label, double perGpu, double perUser) => new(label, 1, perGpu, perUser, true);
        var points = new[] { P("a", 100, 50), P("b", 200, 40), P("c", 150, 30), P("d", 300, 10), P("e", 90, 45) };

        var front = PlannerParetoPoint.Front(points);

        Assert.Equal(["a", "b", "d"], front.Select(p => p.Label));
    }

    [Fact]
    public void Targets_worst_ratio_is_the_largest_predicted_over_target()
    {
        var targets = new PlannerTargets { TtftMs = 1000, TpotMs = 50 };
        var predicted = new DeploymentPrediction(90, 500, 60, 55, 9000, 400, 45, 44, 8000, 10, 2560);

        Assert.Equal(1.2, targets.WorstRatio(predicted), 12);
        Assert.False(targets.AreMetBy(predicted));
        Assert.True((targets with { TpotMs = 60 }).AreMetBy(predicted));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PlannerTargets { Percentile = 0 });
    }

    [Fact]
    public void Kv_transfer_sends_each_prefill_gpu_share_at_the_slower_interconnect()
    {
        var source = PerfModel.Load("llama-3.1-8b").Source;
        var model = PhysicalModel.From(source);
        var h100 = GpuCatalog.Find("H100-SXM");
        var pcie = GpuCatalog.Find("H100-PCIe");
        var request = new PlannerRequest { RequestRate = 1, InputTokens = 2048, OutputTokens = 16 };
        var search = new PlannerSearch(source, request, new PlannerSimulation());

        // Llama-3.1-8B bf16, TP1: 2 (K, V) × 8 KV heads × 128 × 2 bytes × 32 layers = 131,072 B per token;
        // 2048 tokens = 268,435,456 B at 900 GB/s (NVLink 4) = 0.298 ms; at 128 GB/s (PCIe Gen5) = 2.097 ms.
        var prefill = new PlannerReplica(source, model, h100, PlannerRole.Prefill);
        Assert.Equal(268_435_456 / 900e9 * 1e3, search.TransferMs(prefill, prefill with { Role = PlannerRole.Decode }), 9);
        Assert.Equal(268_435_456 / 128e9 * 1e3, search.TransferMs(prefill, new PlannerReplica(source, model, pcie, PlannerRole.Decode)), 9);
    }

    [Fact]
    public void Memory_check_rejects_a_70b_bf16_model_on_one_80gb_gpu()
    {
        var model = PhysicalModel.From(PerfModel.Load("llama-3.1-70b").Source);
        var tp4 = PhysicalModel.From(PerfModel.Load("llama-3.1-70b", new EngineSettings { TensorParallel = 4 }).Source);

        Assert.Contains("exceed the usable", PlannerMemory.Misfit(model, GpuCatalog.Find("H100-SXM"), 0.9, 2304), StringComparison.Ordinal);
        Assert.Null(PlannerMemory.Misfit(tp4, GpuCatalog.Find("H100-SXM"), 0.9, 2304));
    }

    [Fact]
    public void Plan_counts_candidates_and_rejects_those_that_do_not_fit_before_simulating()
    {
        var request = new PlannerRequest
        {
            RequestRate = 1,
            InputTokens = 256,
            OutputTokens = 16,
            Targets = new PlannerTargets { TtftMs = 5000 },
            Gpus = [GpuCatalog.Find("L4")],
            TensorParallel = [1, 2, 4, 8],
            PipelineParallel = [1],
            NumPrompts = 20,
            SearchPrompts = 20,
        };

        var result = PerfModel.Load("llama-3.1-70b").Plan(request);

        // 140 GB of bf16 weights: TP1, TP2 and TP4 of 24 GB L4s do not hold them; TP8 (17.6 GB per GPU) does.
        Assert.Equal(4, result.Candidates);
        Assert.Equal(3, result.Rejected);
        Assert.Equal(8, result.Best?.Engine.TensorParallel);
    }

    [Fact]
    public void Disaggregated_plan_compares_both_modes()
    {
        var request = new PlannerRequest
        {
            RequestRate = 4,
            InputTokens = 1024,
            OutputTokens = 32,
            Targets = new PlannerTargets { TtftMs = 600, TpotMs = 30 },
            Gpus = [GpuCatalog.Find("H100-SXM")],
            TensorParallel = [1, 2],
            PipelineParallel = [1],
            NumPrompts = 60,
            SearchPrompts = 60,
            Disaggregated = true,
            RunnersUp = 10,
        };

        var result = PerfModel.Load("llama-3.1-8b").Plan(request);

        var all = new[] { result.Best! }.Concat(result.RunnersUp).ToList();
        Assert.Contains(all, d => d.Mode == DeploymentMode.Aggregated);
        var disaggregated = Assert.Single(all.Where(d => d.Mode == DeploymentMode.Disaggregated).Take(1));
        Assert.True(disaggregated.KvTransferMs > 0);
        Assert.Equal(disaggregated.PrefillPool!.Gpus + disaggregated.DecodePool!.Gpus, disaggregated.Gpus);
        Assert.True(request.Targets.AreMetBy(disaggregated.Predicted));
    }
}

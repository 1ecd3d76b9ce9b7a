using PerfNotebooks.Internal;
using PerfNotebooks.Models;
using PerfNotebooks.Vllm.Components;
using PerfNotebooks.Vllm.Stats;

namespace PerfNotebooks.Tests;

public class ModelMetricsTests
{
    [Fact]
    public void Breakdowns_are_component_prefixed_in_registry_order()
    {
        var flops = Models.Metrics(Models.Tiny(), new EngineSettings { Vllm = VllmRevision.V2025_12 }).Flops(Batch.Prefill(4));

        Assert.Equal(
            ["attn.qkv_proj", "attn.attn_qk", "attn.attn_av", "attn.out_proj", "ffn.dense_ffn", "unembed.unembed"],
            flops.Select(t => t.Qualified));
    }

    [Fact]
    public void Revision_2026_09_lists_out_proj_before_the_attention_core()
    {
        var flops = Models.Metrics(Models.Tiny(), new EngineSettings { Vllm = VllmRevision.V2026_09 }).Flops(Batch.Prefill(4));

        Assert.Equal(
            ["attn.qkv_proj", "attn.out_proj", "attn.attn_qk", "attn.attn_av", "ffn.dense_ffn", "unembed.unembed"],
            flops.Select(t => t.Qualified));
    }

    [Fact]
    public void Totals_equal_the_sum_of_each_breakdown()
    {
        var metrics = Models.Catalog("qwen3-235b-a22b", new EngineSettings { TensorParallel = 4, PipelineParallel = 2 });
        var ctx = Batch.Prefill(2048).AddMany(64, 1, 4096, isPrefill: false);

        var totals = metrics.Totals(ctx);

        Assert.Equal(metrics.Flops(ctx).Total, totals.Flops);
        Assert.Equal(metrics.ReadBytes(ctx).Total, totals.ReadBytes);
        Assert.Equal(metrics.WriteBytes(ctx).Total, totals.WriteBytes);
    }

    [Fact]
    public void Unsupported_quantization_skips_attention_and_ffn_but_keeps_unembed()
    {
        var metrics = Models.Catalog("llama-3.1-8b", new EngineSettings { Dtype = "float16", Quantization = "awq", Vllm = VllmRevision.V2025_12 });

        Assert.Equal(["unembed"], metrics.Components.Select(c => c.Name));
        Assert.All(metrics.Skipped, s => Assert.Equal(SkipReason.UnsupportedQuantMethod, s.Reason));
        Assert.Contains("'awq'", metrics.Skipped[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_required_attribute_skips_every_component_with_the_key_named()
    {
        var config = HfConfig.Parse("""{"hidden_size": 8, "num_hidden_layers": 2, "vocab_size": 10}""", "no-heads.json");

        var metrics = Models.Metrics(config);

        Assert.False(metrics.IsEnabled);
        Assert.All(metrics.Skipped, s => Assert.Equal("missing_required_attr", s.ReasonName));
        Assert.Contains("num_attention_heads", metrics.Skipped[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Whole_model_counts_every_stage_and_rank()
    {
        var layout = new EngineSettings { TensorParallel = 2, PipelineParallel = 2 };
        var metrics = Models.Catalog("llama-3.1-8b", layout);
        var ctx = Batch.Prefill(1024);

        var perGpu = metrics.Flops(ctx, Scope.PerGpu);
        var whole = metrics.Flops(ctx, Scope.WholeModel);

        // 32 layers over 2 stages and 32 heads over 2 ranks divide evenly: whole = per GPU × 4 for attention.
        Assert.Equal(whole["attn.qkv_proj"], perGpu["attn.qkv_proj"] * 4);
        Assert.Equal(whole, Models.Catalog("llama-3.1-8b").Flops(ctx, Scope.WholeModel));
    }

    [Fact]
    public void Ten_million_token_context_passes_2_to_the_64_exactly()
    {
        var metrics = Models.Catalog("llama-3.1-405b");
        var ctx = Batch.Prefill(10_000_000);

        var flops = metrics.Flops(ctx, Scope.WholeModel)["attn.attn_qk"];

        Int128 expected = (Int128)2 * 128 * 10_000_000 * 10_000_000 * 128 * 126;
        Assert.Equal(expected, flops);
        Assert.True(flops > (Int128)ulong.MaxValue);
    }

    [Fact]
    public void Write_past_64_bits_keeps_the_terms_already_in_the_callers_buffer()
    {
        var small = Models.Catalog("llama-3.1-8b");
        var huge = Models.Catalog("llama-3.1-405b");
        var terms = TermBuffer.Create();
        small.Write(Metric.Flops, Batch.Prefill(2048), Scope.PerGpu, ref terms);
        var before = terms.ToBreakdown();

        huge.Write(Metric.Flops, Batch.Prefill(10_000_000), Scope.WholeModel, ref terms);

        var all = terms.ToBreakdown();
        var hugeFlops = huge.Flops(Batch.Prefill(10_000_000), Scope.WholeModel);
        Assert.Equal(before.Count + hugeFlops.Count, all.Count);
        Assert.Equal(before.Total + hugeFlops.Total, all.Total);
        Assert.Equal(before[0], all[0]);
    }

    [Fact]
    public void Step_stats_skip_zero_token_requests_and_treat_chunked_cached_requests_as_prefill()
    {
        var metrics = Models.Metrics(Models.Tiny());
        var step = SchedulerStep.Create(
            [new NewRequest("a", 0), new NewRequest("idle", 0)],
            ["b", "c"], [10, 20],
            new Dictionary<string, long> { ["a"] = 3, ["b"] = 1, ["c"] = 4 });

        var stats = metrics.StepStats(step, debug: true);

        var ctx = stats.Debug!.Context;
        Assert.Equal(2, ctx.PrefillRequests);          // a (new) and c (4 tokens: chunked prefill)
        Assert.Equal(3 + 4, ctx.PrefillTokens);
        Assert.Equal(3 + 24, ctx.PrefillContextLength);
        Assert.Equal(1, ctx.DecodeRequests);           // b
        Assert.Equal(11, ctx.DecodeContextLength);
        Assert.Equal(metrics.Totals(ctx).Flops, stats.Flops);
        Assert.Equal(stats, metrics.StepStats(step) with { Debug = stats.Debug });
    }
}

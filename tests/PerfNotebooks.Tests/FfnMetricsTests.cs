using PerfNotebooks.Vllm.Components;

namespace PerfNotebooks.Tests;

public class FfnMetricsTests
{
    [Fact]
    public void Dense_flops_match_hand_computed_value()
    {
        var ffn = Models.Metrics(Models.Tiny()).Components.Single(c => c.Name == "ffn");

        // 2·D·3·I·T·L = 2·8·3·16·4·2
        Assert.Equal(6144, ffn.Flops(Batch.Prefill(4), Scope.PerGpu)["dense_ffn"]);
    }

    [Fact]
    public void Moe_model_routes_top_k_tokens_and_reads_min_of_tokens_and_experts()
    {
        // Tiny MoE: 4 experts, top-2, expert width 6. One decode token routes to 2 experts; 100 tokens touch all 4.
        var moe = Models.Metrics(Models.Tiny("""{"num_local_experts": 4, "num_experts_per_tok": 2, "moe_intermediate_size": 6}"""));
        var ffn = (FfnMetrics)moe.Components.Single(c => c.Name == "ffn");

        Assert.Equal(2, ffn.MoeLayers);
        var one = ffn.ReadBytes(Batch.Decode(10), Scope.PerGpu);
        Assert.Equal(2 * 8 * 6 * 2 * 2 * 2, one["routed_up_gate_weights"]);       // 2·D·MI·min(2,4)·2B·L
        var many = ffn.ReadBytes(Batch.Prefill(100), Scope.PerGpu);
        Assert.Equal(2 * 8 * 6 * 4 * 2 * 2, many["routed_up_gate_weights"]);      // all 4 experts
        Assert.Equal(2 * 8 * 3 * 6 * 200 * 2, ffn.Flops(Batch.Prefill(100), Scope.PerGpu)["routed_ffn"]);
        Assert.False(many.Contains("dense_up_gate_weights"));
    }

    [Fact]
    public void Shared_down_input_omits_the_shared_expert_count_as_vllm_does()
    {
        var moe = Models.Metrics(Models.Tiny("""{"num_local_experts": 4, "num_experts_per_tok": 2, "moe_intermediate_size": 6, "n_shared_experts": 3}"""));
        var reads = moe.Components.Single(c => c.Name == "ffn").ReadBytes(Batch.Prefill(5), Scope.PerGpu);

        Assert.Equal(5 * 6 * 2 * 2, reads["shared_down_input"]);       // T·MI·2B·L, no ·S
        Assert.Equal(2 * 5 * 6 * 3 * 2 * 2, reads["shared_silu_input"]); // 2·T·MI·S·2B·L
    }

    [Fact]
    public void Expert_parallel_divides_routed_tokens_and_experts_not_widths()
    {
        var ep = Models.Catalog("qwen3-30b-a3b", new EngineSettings { TensorParallel = 2, DataParallel = 2, EnableExpertParallel = true });
        var ffn = (FfnMetrics)ep.Components.Single(c => c.Name == "ffn");

        Assert.Equal(1, ffn.FfnTensorParallel);
        Assert.Equal(4, ffn.FfnExpertParallel);
        var tp = (FfnMetrics)Models.Catalog("qwen3-30b-a3b", new EngineSettings { TensorParallel = 2, DataParallel = 2 }).Components[1];
        Assert.Equal(4, tp.FfnTensorParallel);
        var ctx = Batch.Prefill(1000);
        Assert.Equal(ffn.Flops(ctx, Scope.PerGpu)["routed_ffn"], tp.Flops(ctx, Scope.PerGpu)["routed_ffn"]);
    }

    [Fact]
    public void From_skips_when_moe_layers_have_no_experts()
    {
        var metrics = Models.Metrics(Models.Tiny("""{"interleave_moe_layer_step": 2}"""));

        var skipped = Assert.Single(metrics.Skipped);
        Assert.Equal("ffn", skipped.Name);
        Assert.Equal(SkipReason.ValidationError, skipped.Reason);
        Assert.Contains("num_experts is 0", skipped.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Interleave_step_and_layer_freq_count_moe_layers()
    {
        var interleaved = (FfnMetrics)Models.Metrics(Models.Tiny("""{"num_hidden_layers": 12, "num_local_experts": 4, "num_experts_per_tok": 1, "interleave_moe_layer_step": 3}""")).Components[1];
        var freq = (FfnMetrics)Models.Metrics(Models.Tiny("""{"num_hidden_layers": 12, "num_local_experts": 4, "num_experts_per_tok": 1, "moe_layer_freq": 2, "first_k_dense_replace": 3}""")).Components[1];

        Assert.Equal(4, interleaved.MoeLayers);  // layers 3, 6, 9, 12 (1-based)
        Assert.Equal(4, freq.MoeLayers);         // layers 4, 6, 8, 10 (0-based, ≥ 3, even)
    }

    [Fact]
    public void Mxfp4_weights_are_half_a_byte()
    {
        var ffn = (FfnMetrics)Models.Catalog("gpt-oss-20b").Components[1];

        Assert.Equal(4, ffn.WeightByteSize.Bits);
        var reads = ffn.ReadBytes(Batch.Decode(100), Scope.PerGpu);
        // 2·D·MI·min(4, 32)·0.5·L = 2·2880·2880·4·0.5·24
        Assert.Equal(2L * 2880 * 2880 * 4 / 2 * 24, reads["routed_up_gate_weights"]);
    }
}

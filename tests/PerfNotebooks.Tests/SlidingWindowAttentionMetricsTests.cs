using PerfNotebooks.Internal;
using PerfNotebooks.Models;
using PerfNotebooks.Vllm;
using PerfNotebooks.Vllm.Components;

namespace PerfNotebooks.Tests;

public class SlidingWindowAttentionMetricsTests
{
    private static ModelMetrics Tiny(int layers = 2, int pp = 1, string layerTypes = """["sliding_attention", "full_attention"]""") =>
        ModelMetrics.Create(ModelSource.Resolve(
            HfConfig.Parse($$"""
                {"model_type": "tiny", "hidden_size": 8, "num_attention_heads": 2, "num_key_value_heads": 1, "head_dim": 4,
                 "num_hidden_layers": {{layers}}, "vocab_size": 16, "intermediate_size": 8, "sliding_window": 4, "layer_types": {{layerTypes}}}
                """, "tiny"),
            new EngineSettings { Vllm = VllmRevision.V2026_09, PipelineParallel = pp }));

    [Fact]
    public void Sliding_layers_clamp_the_context_to_the_window()
    {
        var metrics = Tiny();
        var decode = Batch.Decode(10);

        // q = 2, kv = 1, d = 4, D = 8, 2-byte activations and cache; one full and one sliding layer; context 10, window 4.
        var flops = metrics.Flops(decode);
        Assert.Equal((Int128)(2 * 1 * 8 * (2 + 2) * 4 * 2), flops["attn.qkv_proj"]);
        Assert.Equal((Int128)((2 * 2 * 10 * 4) + (2 * 2 * 4 * 4)), flops["attn.attn_qk"]);
        // attn_input: full layer 1·2·4·2 + 2·10·1·4·2 = 176; sliding layer 16 + 2·4·1·4·2 = 80.
        Assert.Equal((Int128)(176 + 80), metrics.ReadBytes(decode)["attn.attn_input"]);
    }

    [Fact]
    public void Uneven_pipeline_split_bills_a_fractional_layer_count_in_doubles()
    {
        // 52 layers over 3 stages: out_output = int(float(T·D·a) · (52 / 3)); T·D·a = 1822464 · 8 · 2 = 29159424.
        // The exact value 29159424 · 52 / 3 = 505430016; upstream's double arithmetic gives 505430015.
        var metrics = Tiny(layers: 52, pp: 3, layerTypes: "null");

        Assert.Equal((Int128)505_430_015, metrics.WriteBytes(Batch.Prefill(1_822_464))["attn.out_output"]);
    }

    [Theory]
    [InlineData(1_822_464L, 3)]
    [InlineData(123_456_789L, 7)]      // products past 2^53: each rounds to a double before the layer count multiplies it
    [InlineData(40_000_001L, 5)]
    public void Sixty_four_bit_pass_rounds_every_product_as_the_128_bit_pass_does(long contextTokens, int pp)
    {
        var attention = (AttentionMetrics)Tiny(layers: 61, pp: pp).Components[0];
        var batch = Batch.Prefill(contextTokens).WithDecodes(3, contextTokens + 7);

        foreach (var metric in new[] { Metric.Flops, Metric.ReadBytes, Metric.WriteBytes })
        {
            foreach (var scope in new[] { Scope.PerGpu, Scope.WholeModel })
            {
                var fast = TermBuffer.Create();
                var exact = TermBuffer.Create();
                attention.WriteInt64(metric, batch, scope, ref fast);
                attention.WriteInt128(metric, batch, scope, ref exact);
                Assert.Equal(exact.ToBreakdown(), fast.ToBreakdown());
                Assert.True(exact.Total > 0);
            }
        }
    }

    [Fact]
    public void Sixty_four_bit_pass_throws_past_2_to_the_63_so_the_caller_counts_again_in_128_bits()
    {
        var metrics = Tiny(layers: 61, pp: 5);
        var attention = (AttentionMetrics)metrics.Components[0];
        var batch = Batch.Prefill(4_000_000_001L);

        var fast = TermBuffer.Create();
        Assert.Throws<OverflowException>(() => attention.WriteInt64(Metric.Flops, batch, Scope.PerGpu, ref fast));
        // 2 · q 2 · (T · context = 4000000001²) · d 4 · 60 full layers ÷ 5 stages, in double, truncated: past 2^63.
        Assert.True(metrics.Flops(batch)["attn.attn_qk"] > long.MaxValue);
    }

    [Fact]
    public void Unembedding_bills_one_logits_token_per_prefill_request()
    {
        var metrics = Tiny();

        // 2 · logits tokens · D · V = 2 · 1 · 8 · 16, whatever the prompt length.
        Assert.Equal((Int128)(2 * 8 * 16), metrics.Flops(Batch.Prefill(2048))["unembed.unembed"]);
    }
}

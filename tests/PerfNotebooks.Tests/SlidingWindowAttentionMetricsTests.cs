using PerfNotebooks.Models;
using PerfNotebooks.Vllm;

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

    [Fact]
    public void Unembedding_bills_one_logits_token_per_prefill_request()
    {
        var metrics = Tiny();

        // 2 · logits tokens · D · V = 2 · 1 · 8 · 16, whatever the prompt length.
        Assert.Equal((Int128)(2 * 8 * 16), metrics.Flops(Batch.Prefill(2048))["unembed.unembed"]);
    }
}

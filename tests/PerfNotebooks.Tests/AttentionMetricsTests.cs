using PerfNotebooks.Models;
using PerfNotebooks.Vllm.Components;

namespace PerfNotebooks.Tests;

public class AttentionMetricsTests
{
    // One prefill of 3 tokens (context 3) and one decode with context 5: T = 4, ΣTC = 3·3 + 1·5 = 14.
    private static readonly Batch Batch = Batch.Prefill(3).Add(1, 5, isPrefill: false);

    // These pins are vLLM 2025-12's AttentionMetrics (SlidingWindowAttentionMetricsTests pins the 2026-09 accounting of the same class).
    private static IComponentMetrics Attention(HfConfig config, EngineSettings? engine = null) =>
        Models.Metrics(config, (engine ?? new EngineSettings()) with { Vllm = VllmRevision.V2025_12 }).Components.Single(c => c.Name == "attn");

    [Fact]
    public void Flops_match_hand_computed_values_for_tiny_model()
    {
        var flops = Attention(Models.Tiny()).Flops(Batch, Scope.PerGpu);

        Assert.Equal(["qkv_proj", "attn_qk", "attn_av", "out_proj"], flops.Select(t => t.Name));
        Assert.Equal(2 * 4 * 8 * (2 + 2) * 4 * 2, flops["qkv_proj"]);  // 2·T·D·(q+2kv)·d·L = 2048
        Assert.Equal(2 * 2 * 14 * 4 * 2, flops["attn_qk"]);            // 2·q·ΣTC·d·L = 448
        Assert.Equal(448, flops["attn_av"]);
        Assert.Equal(2 * 4 * 8 * 2 * 4 * 2, flops["out_proj"]);         // 1024
        Assert.Equal(2048 + 448 + 448 + 1024, flops.Total);
    }

    [Fact]
    public void Read_bytes_match_hand_computed_values_for_tiny_model()
    {
        var reads = Attention(Models.Tiny()).ReadBytes(Batch, Scope.PerGpu);

        Assert.Equal(["qkv_input", "qkv_weight", "attn_input", "out_input", "out_weight"], reads.Select(t => t.Name));
        Assert.Equal(128, reads["qkv_input"]);   // T·D·2·L
        Assert.Equal(512, reads["qkv_weight"]);  // D·(q+2kv)·d·2·L
        Assert.Equal(384, reads["attn_input"]);  // prefill (3·2 + 2·3·1)·4·2·2 = 192; decode 1·2·4·2·2 + 2·5·1·4·2·2 = 192
        Assert.Equal(128, reads["out_input"]);
        Assert.Equal(256, reads["out_weight"]);
    }

    [Fact]
    public void Write_bytes_match_hand_computed_values_for_tiny_model()
    {
        var writes = Attention(Models.Tiny()).WriteBytes(Batch, Scope.PerGpu);

        Assert.Equal(256, writes["qkv_output"]);
        Assert.Equal(128, writes["kv_cache"]);
        Assert.Equal(128, writes["out_output"]);
    }

    [Fact]
    public void Decode_reads_kv_cache_at_cache_precision()
    {
        var decode = Batch.Decode(1000);
        var bf16 = Attention(Models.Tiny()).ReadBytes(decode, Scope.PerGpu)["attn_input"];
        var fp8 = Attention(Models.Tiny(), new EngineSettings { KvCacheDtype = "fp8" }).ReadBytes(decode, Scope.PerGpu)["attn_input"];

        // q reads stay at 2 bytes (1·2·4·2·2 = 32); K and V from the cache halve: 2·1000·1·4·2·L=2 → 32000 vs 16000.
        Assert.Equal(32 + 32000, bf16);
        Assert.Equal(32 + 16000, fp8);
    }

    [Fact]
    public void Empty_batch_has_no_attention_input_term_but_reads_weights()
    {
        var reads = Attention(Models.Tiny()).ReadBytes(Batch.Empty, Scope.PerGpu);

        Assert.False(reads.Contains("attn_input"));
        Assert.Equal(512 + 256, reads.Total);
    }

    [Fact]
    public void Flops_double_when_layer_count_doubles()
    {
        var small = Attention(Models.Tiny());
        var large = Attention(Models.Tiny("""{"num_hidden_layers": 4}"""));

        foreach (var metric in Enum.GetValues<Metric>())
        {
            var a = small.Evaluate(metric, Batch, Scope.PerGpu);
            var b = large.Evaluate(metric, Batch, Scope.PerGpu);
            Assert.Equal(a.Select(t => t.Value * 2), b.Select(t => t.Value));
        }
    }

    [Fact]
    public void Gqa_reads_fewer_bytes_than_mha()
    {
        var gqa = Models.Catalog("llama-3.1-8b");
        var mha = Models.Metrics(ModelCatalog.Find("llama-3.1-8b").Load().WithOverrides(
            (System.Text.Json.Nodes.JsonObject)System.Text.Json.Nodes.JsonNode.Parse("""{"num_key_value_heads": 32}""")!));
        var decode = Batch.Decode(8192);

        Assert.True(gqa.ReadBytes(decode).Total < mha.ReadBytes(decode).Total);
        Assert.True(gqa.ReadBytes(decode)["attn.attn_input"] * 3 < mha.ReadBytes(decode)["attn.attn_input"]);
    }

    [Fact]
    public void Weight_reads_drop_to_a_quarter_with_tp4()
    {
        var tp1 = Models.Catalog("llama-3.1-70b");
        var tp4 = Models.Catalog("llama-3.1-70b", new EngineSettings { TensorParallel = 4, Vllm = VllmRevision.V2025_12 });
        var ctx = Batch.Prefill(512);

        foreach (var key in new[] { "attn.qkv_weight", "attn.out_weight", "ffn.dense_up_gate_weights", "ffn.dense_down_weights", "unembed.weight" })
        {
            Assert.Equal(tp1.ReadBytes(ctx)[key], tp4.ReadBytes(ctx)[key] * 4);
        }
    }

    [Fact]
    public void Per_gpu_heads_never_drop_below_one_when_tp_exceeds_kv_heads()
    {
        // 8 KV heads on TP 16 (64 query heads divide): per GPU the model keeps max(1, 8 // 16) = 1 KV head.
        var tp16 = Models.Catalog("llama-3.1-70b", new EngineSettings { TensorParallel = 16, Vllm = VllmRevision.V2025_12 });
        var attn = (AttentionMetrics)tp16.Components[0];
        var writes = attn.WriteBytes(Batch.Prefill(10), Scope.PerGpu);

        Assert.Equal(2 * 10 * 1 * 128 * 2 * 80, writes["kv_cache"]);
    }
}

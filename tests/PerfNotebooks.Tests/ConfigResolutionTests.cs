using PerfNotebooks.Models;
using PerfNotebooks.Vllm;
using PerfNotebooks.Vllm.Components;

namespace PerfNotebooks.Tests;

/// Config resolution as vLLM's ModelConfig and transformers' config classes do it (docs/vllm-config-resolution.md).
public class ConfigResolutionTests
{
    // The fields of deepseek-ai/DeepSeek-V3's config.json the perf model reads (subset, values as published).
    private const string DeepSeekV3 = """
        {"architectures": ["DeepseekV3ForCausalLM"], "model_type": "deepseek_v3", "hidden_size": 7168, "intermediate_size": 18432,
         "kv_lora_rank": 512, "q_lora_rank": 1536, "qk_nope_head_dim": 128, "qk_rope_head_dim": 64, "v_head_dim": 128,
         "moe_intermediate_size": 2048, "moe_layer_freq": 1, "first_k_dense_replace": 3, "n_routed_experts": 256,
         "n_shared_experts": 1, "num_experts_per_tok": 8, "num_attention_heads": 128, "num_key_value_heads": 128,
         "num_hidden_layers": 61, "vocab_size": 129280, "torch_dtype": "bfloat16",
         "quantization_config": {"activation_scheme": "dynamic", "fmt": "e4m3", "quant_method": "fp8", "weight_block_size": [128, 128]}}
        """;

    // databricks/dbrx-instruct's config.json (DbrxConfig: n_heads, d_model, n_layers, attn_config, ffn_config).
    private const string Dbrx = """
        {"architectures": ["DbrxForCausalLM"], "attn_config": {"clip_qkv": 8, "kv_n_heads": 8, "model_type": "", "rope_theta": 500000},
         "d_model": 6144, "emb_pdrop": 0.0, "ffn_config": {"ffn_hidden_size": 10752, "model_type": "", "moe_jitter_eps": 0,
         "moe_loss_weight": 0.05, "moe_num_experts": 16, "moe_top_k": 4}, "initializer_range": 0.02, "max_seq_len": 32768,
         "model_type": "dbrx", "n_heads": 48, "n_layers": 40, "output_router_logits": false, "resid_pdrop": 0.0,
         "router_aux_loss_coef": 0.05, "tie_word_embeddings": false, "torch_dtype": "bfloat16", "transformers_version": "4.38.2",
         "use_cache": true, "vocab_size": 100352}
        """;

    [Theory]
    [InlineData("2025-12")]
    [InlineData("2026-09")]
    public void DeepSeek_V3_head_size_is_kv_lora_rank_plus_rope_dim_in_both_revisions(string revision)
    {
        var source = Resolve(DeepSeekV3, revision);

        Assert.True(source.IsDeepseekMla);
        Assert.Equal(ConfigNumber.Of(512 + 64), source.HeadSize());
        Assert.Equal(ConfigNumber.Of(128), source.TotalKvHeads());
    }

    [Fact]
    public void DeepSeek_V3_at_2025_12_bills_attention_weights_at_head_size_576()
    {
        var metrics = ModelMetrics.Create(Resolve(DeepSeekV3, "2025-12"));

        Assert.Equal(["attn", "ffn", "unembed"], metrics.Components.Select(c => c.Name));
        // qkv_weight = D·(q + 2kv)·d·w·L = 7168 · (128 + 2·128) · 576 · 1 byte (fp8) · 61 layers.
        Assert.Equal((Int128)96_712_261_632, metrics.ReadBytes(Batch.Decode(1024))["attn.qkv_weight"]);
    }

    [Fact]
    public void DeepSeek_V3_at_2026_09_uses_mla_attention_instead_of_attention()
    {
        var metrics = ModelMetrics.Create(Resolve(DeepSeekV3, "2026-09"));

        Assert.Equal(["mla_attn", "ffn", "unembed"], metrics.Components.Select(c => c.Name));
        Assert.Empty(metrics.Skipped);
        Assert.Equal(SkipReason.UsesMla, metrics.Outcomes.OfType<ComponentOutcome.Skipped>().Single().Reason);
        // kv_cache write per token = (kv_lora_rank + qk_rope_head_dim) · cache bytes · layers = 576 · 2 · 61.
        Assert.Equal((Int128)(576 * 2 * 61), metrics.WriteBytes(Batch.Decode(1024))["mla_attn.kv_cache"]);
    }

    [Theory]
    [InlineData("2025-12")]
    [InlineData("2026-09")]
    public void Dbrx_config_builds_every_component_through_its_attribute_map(string revision)
    {
        var source = Resolve(Dbrx, revision);
        var metrics = ModelMetrics.Create(source);

        Assert.Equal(["attn", "ffn", "unembed"], metrics.Components.Select(c => c.Name));
        Assert.Equal(ConfigNumber.Of(8), source.TotalKvHeads());
        Assert.Equal(ConfigNumber.Of(6144 / 48), source.HeadSize());
        var attention = metrics.Components[0].Fields.ToDictionary(f => f.Name, f => f.Value);
        Assert.Equal((48m, 40m, 6144m), (attention["num_attention_heads"], attention["num_hidden_layers"], attention["hidden_size"]));
        // vLLM reads no expert count from DBRX's top-level config (moe_num_experts sits in ffn_config), so its perf
        // model bills a dense FFN of 4 × d_model: kept as vLLM does it.
        var ffn = metrics.Components[1].Fields.ToDictionary(f => f.Name, f => f.Value);
        Assert.Equal((0m, 4m * 6144), (ffn["num_experts"], ffn["intermediate_size"]));
    }

    [Fact]
    public void Gpt2_style_names_resolve_through_the_attribute_map()
    {
        var source = Resolve("""{"model_type": "gpt2", "n_embd": 1600, "n_head": 25, "n_layer": 48, "n_positions": 1024, "vocab_size": 50257}""", "2026-09");

        Assert.Equal(ConfigNumber.Of(25), source.TotalKvHeads());
        Assert.Equal(ConfigNumber.Of(64), source.HeadSize());
        Assert.Equal(["attn", "ffn", "unembed"], ModelMetrics.Create(source).Components.Select(c => c.Name));
    }

    [Fact]
    public void Gpt2_class_defaults_fill_absent_keys()
    {
        var source = Resolve("""{"model_type": "gpt2"}""", "2026-09");

        Assert.Equal(ConfigNumber.Of(12), source.Config.TextNumber("num_attention_heads"));
        Assert.Equal(ConfigNumber.Of(768 / 12), source.HeadSize());
    }

    [Theory]
    [InlineData("qwen2", false, null)]
    [InlineData("qwen2", true, 32768L)]
    [InlineData("qwen3_moe", false, null)]
    [InlineData("llama", false, 32768L)]
    public void Qwen_keeps_its_sliding_window_only_with_use_sliding_window(string type, bool use, long? expected)
    {
        var json = $$"""{"model_type": "{{type}}", "num_attention_heads": 8, "num_hidden_layers": 2, "hidden_size": 64, "sliding_window": 32768, "use_sliding_window": {{(use ? "true" : "false")}}}""";

        Assert.Equal(expected, Resolve(json, "2026-09").SlidingWindow());
    }

    [Fact]
    public void Disable_sliding_window_drops_the_window()
    {
        var config = HfConfig.Parse("""{"model_type": "mistral", "num_attention_heads": 8, "num_hidden_layers": 2, "hidden_size": 64, "sliding_window": 4096}""", "t");

        var source = ModelSource.Resolve(config, new EngineSettings { Vllm = VllmRevision.V2026_09, DisableSlidingWindow = true });

        Assert.Null(source.SlidingWindow());
    }

    [Fact]
    public void A_null_kv_head_count_is_rejected_at_2026_09_with_the_key_named()
    {
        var source = Resolve("""{"model_type": "llama", "num_attention_heads": 8, "num_key_value_heads": null, "num_hidden_layers": 2, "hidden_size": 64}""", "2026-09");

        var error = Assert.Throws<ModelConfigException>(() => source.TotalKvHeads());
        Assert.Contains("num_key_value_heads", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_config_is_the_first_non_null_of_the_sub_config_keys()
    {
        var config = HfConfig.Parse("""{"model_type": "x", "decoder": null, "generator": {"hidden_size": 3}, "text_config": {"hidden_size": 5}}""", "t");

        Assert.Equal(ConfigNumber.Of(3), config.TextNumber("hidden_size"));
    }

    [Theory]
    [InlineData("2025-12", "2025-12")]
    [InlineData("2026-09", "2026-09")]
    [InlineData(" Latest ", "2026-09")]
    public void VllmRevision_parses_its_names(string text, string canonical)
    {
        Assert.True(VllmRevision.TryParse(text, out var revision));
        Assert.Equal(canonical, revision.ToString());
    }

    [Theory]
    [InlineData("2026-10")]
    [InlineData("")]
    [InlineData(null)]
    public void VllmRevision_rejects_other_text(string? text)
    {
        Assert.False(VllmRevision.TryParse(text, out _));
    }

    private static ModelSource Resolve(string json, string revision) =>
        ModelSource.Resolve(HfConfig.Parse(json, "test config"), new EngineSettings { Vllm = VllmRevision.Parse(revision) });
}

using System.Text.Json.Nodes;
using PerfNotebooks.Models;
using PerfNotebooks.Vllm;
using PerfNotebooks.Vllm.Components;

namespace PerfNotebooks.Tests;

/// <summary>
/// Golden-style checks that every catalog model builds the components today's vLLM (perf.py at
/// 00cee63e, `--vllm 2026-09`, the default revision) builds from it, with the fields vLLM resolves: created and
/// skipped components (with the skip reason), and each component's fields as in `shared/golden-latest`
/// (`expected.components`). Engine settings are vLLM's defaults (dtype auto, kv-cache dtype auto, TP = PP = DP = 1).
/// </summary>
/// <remarks>
/// Expectations of the 14 configs in `shared/golden-latest/configs` are copied from the first case of
/// `cases.jsonl` with default engine settings (values produced by upstream's own perf.py; null fields omitted). The
/// others are derived by hand from the rules in `shared/golden-latest/README.md` ("Config resolution", "MLA
/// attention"), with the arithmetic in comments. These need the 2026-09 revision (mla_attn, sliding windows,
/// ModelOpt names, per-layer types), so most fail against the 2025-12 rules alone.
/// </remarks>
public class CatalogResolutionTests
{
    private static readonly Dictionary<string, string> Expected = new(StringComparer.Ordinal)
    {
        ["gemma-4-26b-a4b"] = """{"resolved":{"model_dtype":"bfloat16","quant_method":null,"kv_cache_dtype":"auto"},"enabled":["attn","ffn","unembed"],"invalid":{"mla_attn":"not_mla"},"components":{"attn":{"num_hidden_layers":30,"hidden_size":2816,"num_attention_heads":16,"activation_byte_size":2,"tp_size":1,"pp_size":1,"num_key_value_heads":8,"head_dim":512,"cache_byte_size":2,"weight_byte_size":2,"sliding_window":1024,"num_swa_layers":25},"ffn":{"num_hidden_layers":30,"hidden_size":2816,"activation_byte_size":2,"pp_size":1,"ffn_tp_size":1,"ffn_ep_size":1,"intermediate_size":2112,"num_experts":128,"num_experts_per_tok":8,"moe_intermediate_size":704,"num_shared_experts":0,"num_moe_layers":30,"weight_byte_size":2},"unembed":{"hidden_size":2816,"vocab_size":262144,"weight_byte_size":2,"activation_byte_size":2,"tp_size":1}}}""",
        ["gpt-oss-20b"] = """{"resolved":{"model_dtype":"bfloat16","quant_method":"mxfp4","kv_cache_dtype":"auto"},"enabled":["attn","ffn","unembed"],"invalid":{"mla_attn":"not_mla"},"components":{"attn":{"num_hidden_layers":24,"hidden_size":2880,"num_attention_heads":64,"activation_byte_size":2,"tp_size":1,"pp_size":1,"num_key_value_heads":8,"head_dim":64,"cache_byte_size":2,"weight_byte_size":0.5,"sliding_window":128,"num_swa_layers":12},"ffn":{"num_hidden_layers":24,"hidden_size":2880,"activation_byte_size":2,"pp_size":1,"ffn_tp_size":1,"ffn_ep_size":1,"intermediate_size":2880,"num_experts":32,"num_experts_per_tok":4,"moe_intermediate_size":2880,"num_shared_experts":0,"num_moe_layers":24,"weight_byte_size":0.5},"unembed":{"hidden_size":2880,"vocab_size":201088,"weight_byte_size":2,"activation_byte_size":2,"tp_size":1}}}""",
        ["kimi-k2-instruct"] = """{"resolved":{"model_dtype":"bfloat16","quant_method":"fp8","kv_cache_dtype":"auto"},"enabled":["mla_attn","ffn","unembed"],"invalid":{"attn":"uses_mla"},"components":{"mla_attn":{"num_hidden_layers":61,"hidden_size":7168,"num_attention_heads":64,"activation_byte_size":2,"tp_size":1,"pp_size":1,"weight_byte_size":1,"kv_lora_rank":512,"qk_nope_head_dim":128,"qk_rope_head_dim":64,"v_head_dim":128,"q_lora_rank":1536,"cache_byte_size":2},"ffn":{"num_hidden_layers":61,"hidden_size":7168,"activation_byte_size":2,"pp_size":1,"ffn_tp_size":1,"ffn_ep_size":1,"intermediate_size":18432,"num_experts":384,"num_experts_per_tok":8,"moe_intermediate_size":2048,"num_shared_experts":1,"num_moe_layers":60,"weight_byte_size":1},"unembed":{"hidden_size":7168,"vocab_size":163840,"weight_byte_size":2,"activation_byte_size":2,"tp_size":1}}}""",
        ["llama-3.1-405b"] = """{"resolved":{"model_dtype":"bfloat16","quant_method":null,"kv_cache_dtype":"auto"},"enabled":["attn","ffn","unembed"],"invalid":{"mla_attn":"not_mla"},"components":{"attn":{"num_hidden_layers":126,"hidden_size":16384,"num_attention_heads":128,"activation_byte_size":2,"tp_size":1,"pp_size":1,"num_key_value_heads":8,"head_dim":128,"cache_byte_size":2,"weight_byte_size":2,"num_swa_layers":0},"ffn":{"num_hidden_layers":126,"hidden_size":16384,"activation_byte_size":2,"pp_size":1,"ffn_tp_size":1,"ffn_ep_size":1,"intermediate_size":53248,"num_experts":0,"num_experts_per_tok":0,"moe_intermediate_size":53248,"num_shared_experts":0,"num_moe_layers":0,"weight_byte_size":2},"unembed":{"hidden_size":16384,"vocab_size":128256,"weight_byte_size":2,"activation_byte_size":2,"tp_size":1}}}""",
        ["llama-3.1-70b"] = """{"resolved":{"model_dtype":"bfloat16","quant_method":null,"kv_cache_dtype":"auto"},"enabled":["attn","ffn","unembed"],"invalid":{"mla_attn":"not_mla"},"components":{"attn":{"num_hidden_layers":80,"hidden_size":8192,"num_attention_heads":64,"activation_byte_size":2,"tp_size":1,"pp_size":1,"num_key_value_heads":8,"head_dim":128,"cache_byte_size":2,"weight_byte_size":2,"num_swa_layers":0},"ffn":{"num_hidden_layers":80,"hidden_size":8192,"activation_byte_size":2,"pp_size":1,"ffn_tp_size":1,"ffn_ep_size":1,"intermediate_size":28672,"num_experts":0,"num_experts_per_tok":0,"moe_intermediate_size":28672,"num_shared_experts":0,"num_moe_layers":0,"weight_byte_size":2},"unembed":{"hidden_size":8192,"vocab_size":128256,"weight_byte_size":2,"activation_byte_size":2,"tp_size":1}}}""",
        ["llama-3.1-8b"] = """{"resolved":{"model_dtype":"bfloat16","quant_method":null,"kv_cache_dtype":"auto"},"enabled":["attn","ffn","unembed"],"invalid":{"mla_attn":"not_mla"},"components":{"attn":{"num_hidden_layers":32,"hidden_size":4096,"num_attention_heads":32,"activation_byte_size":2,"tp_size":1,"pp_size":1,"num_key_value_heads":8,"head_dim":128,"cache_byte_size":2,"weight_byte_size":2,"num_swa_layers":0},"ffn":{"num_hidden_layers":32,"hidden_size":4096,"activation_byte_size":2,"pp_size":1,"ffn_tp_size":1,"ffn_ep_size":1,"intermediate_size":14336,"num_experts":0,"num_experts_per_tok":0,"moe_intermediate_size":14336,"num_shared_experts":0,"num_moe_layers":0,"weight_byte_size":2},"unembed":{"hidden_size":4096,"vocab_size":128256,"weight_byte_size":2,"activation_byte_size":2,"tp_size":1}}}""",
        ["llama-4-scout-17b-16e"] = """{"resolved":{"model_dtype":"bfloat16","quant_method":null,"kv_cache_dtype":"auto"},"enabled":["attn","ffn","unembed"],"invalid":{"mla_attn":"not_mla"},"components":{"attn":{"num_hidden_layers":48,"hidden_size":5120,"num_attention_heads":40,"activation_byte_size":2,"tp_size":1,"pp_size":1,"num_key_value_heads":8,"head_dim":128,"cache_byte_size":2,"weight_byte_size":2,"num_swa_layers":0},"ffn":{"num_hidden_layers":48,"hidden_size":5120,"activation_byte_size":2,"pp_size":1,"ffn_tp_size":1,"ffn_ep_size":1,"intermediate_size":8192,"num_experts":16,"num_experts_per_tok":1,"moe_intermediate_size":8192,"num_shared_experts":0,"num_moe_layers":48,"weight_byte_size":2},"unembed":{"hidden_size":5120,"vocab_size":202048,"weight_byte_size":2,"activation_byte_size":2,"tp_size":1}}}""",
        ["minimax-m2.5-nvfp4"] = """{"resolved":{"model_dtype":"bfloat16","quant_method":"modelopt_fp4","kv_cache_dtype":"fp8_e4m3"},"enabled":["attn","ffn","unembed"],"invalid":{"mla_attn":"not_mla"},"components":{"attn":{"num_hidden_layers":62,"hidden_size":3072,"num_attention_heads":48,"activation_byte_size":2,"tp_size":1,"pp_size":1,"num_key_value_heads":8,"head_dim":128,"cache_byte_size":1,"weight_byte_size":0.5,"num_swa_layers":0},"ffn":{"num_hidden_layers":62,"hidden_size":3072,"activation_byte_size":2,"pp_size":1,"ffn_tp_size":1,"ffn_ep_size":1,"intermediate_size":1536,"num_experts":256,"num_experts_per_tok":8,"moe_intermediate_size":1536,"num_shared_experts":0,"num_moe_layers":62,"weight_byte_size":0.5},"unembed":{"hidden_size":3072,"vocab_size":200064,"weight_byte_size":2,"activation_byte_size":2,"tp_size":1}}}""",
        ["mixtral-8x22b"] = """{"resolved":{"model_dtype":"bfloat16","quant_method":null,"kv_cache_dtype":"auto"},"enabled":["attn","ffn","unembed"],"invalid":{"mla_attn":"not_mla"},"components":{"attn":{"num_hidden_layers":56,"hidden_size":6144,"num_attention_heads":48,"activation_byte_size":2,"tp_size":1,"pp_size":1,"num_key_value_heads":8,"head_dim":128,"cache_byte_size":2,"weight_byte_size":2,"num_swa_layers":0},"ffn":{"num_hidden_layers":56,"hidden_size":6144,"activation_byte_size":2,"pp_size":1,"ffn_tp_size":1,"ffn_ep_size":1,"intermediate_size":16384,"num_experts":8,"num_experts_per_tok":2,"moe_intermediate_size":16384,"num_shared_experts":0,"num_moe_layers":56,"weight_byte_size":2},"unembed":{"hidden_size":6144,"vocab_size":32000,"weight_byte_size":2,"activation_byte_size":2,"tp_size":1}}}""",
        ["mixtral-8x7b"] = """{"resolved":{"model_dtype":"bfloat16","quant_method":null,"kv_cache_dtype":"auto"},"enabled":["attn","ffn","unembed"],"invalid":{"mla_attn":"not_mla"},"components":{"attn":{"num_hidden_layers":32,"hidden_size":4096,"num_attention_heads":32,"activation_byte_size":2,"tp_size":1,"pp_size":1,"num_key_value_heads":8,"head_dim":128,"cache_byte_size":2,"weight_byte_size":2,"num_swa_layers":0},"ffn":{"num_hidden_layers":32,"hidden_size":4096,"activation_byte_size":2,"pp_size":1,"ffn_tp_size":1,"ffn_ep_size":1,"intermediate_size":14336,"num_experts":8,"num_experts_per_tok":2,"moe_intermediate_size":14336,"num_shared_experts":0,"num_moe_layers":32,"weight_byte_size":2},"unembed":{"hidden_size":4096,"vocab_size":32000,"weight_byte_size":2,"activation_byte_size":2,"tp_size":1}}}""",
        ["qwen3-235b-a22b"] = """{"resolved":{"model_dtype":"bfloat16","quant_method":null,"kv_cache_dtype":"auto"},"enabled":["attn","ffn","unembed"],"invalid":{"mla_attn":"not_mla"},"components":{"attn":{"num_hidden_layers":94,"hidden_size":4096,"num_attention_heads":64,"activation_byte_size":2,"tp_size":1,"pp_size":1,"num_key_value_heads":4,"head_dim":128,"cache_byte_size":2,"weight_byte_size":2,"num_swa_layers":0},"ffn":{"num_hidden_layers":94,"hidden_size":4096,"activation_byte_size":2,"pp_size":1,"ffn_tp_size":1,"ffn_ep_size":1,"intermediate_size":12288,"num_experts":128,"num_experts_per_tok":8,"moe_intermediate_size":1536,"num_shared_experts":0,"num_moe_layers":94,"weight_byte_size":2},"unembed":{"hidden_size":4096,"vocab_size":151936,"weight_byte_size":2,"activation_byte_size":2,"tp_size":1}}}""",
        ["qwen3-30b-a3b"] = """{"resolved":{"model_dtype":"bfloat16","quant_method":null,"kv_cache_dtype":"auto"},"enabled":["attn","ffn","unembed"],"invalid":{"mla_attn":"not_mla"},"components":{"attn":{"num_hidden_layers":48,"hidden_size":2048,"num_attention_heads":32,"activation_byte_size":2,"tp_size":1,"pp_size":1,"num_key_value_heads":4,"head_dim":128,"cache_byte_size":2,"weight_byte_size":2,"num_swa_layers":0},"ffn":{"num_hidden_layers":48,"hidden_size":2048,"activation_byte_size":2,"pp_size":1,"ffn_tp_size":1,"ffn_ep_size":1,"intermediate_size":6144,"num_experts":128,"num_experts_per_tok":8,"moe_intermediate_size":768,"num_shared_experts":0,"num_moe_layers":48,"weight_byte_size":2},"unembed":{"hidden_size":2048,"vocab_size":151936,"weight_byte_size":2,"activation_byte_size":2,"tp_size":1}}}""",
        ["qwen3-32b-fp8"] = """{"resolved":{"model_dtype":"bfloat16","quant_method":"fp8","kv_cache_dtype":"auto"},"enabled":["attn","ffn","unembed"],"invalid":{"mla_attn":"not_mla"},"components":{"attn":{"num_hidden_layers":64,"hidden_size":5120,"num_attention_heads":64,"activation_byte_size":2,"tp_size":1,"pp_size":1,"num_key_value_heads":8,"head_dim":128,"cache_byte_size":2,"weight_byte_size":1,"num_swa_layers":0},"ffn":{"num_hidden_layers":64,"hidden_size":5120,"activation_byte_size":2,"pp_size":1,"ffn_tp_size":1,"ffn_ep_size":1,"intermediate_size":25600,"num_experts":0,"num_experts_per_tok":0,"moe_intermediate_size":25600,"num_shared_experts":0,"num_moe_layers":0,"weight_byte_size":1},"unembed":{"hidden_size":5120,"vocab_size":151936,"weight_byte_size":2,"activation_byte_size":2,"tp_size":1}}}""",
        ["qwen3.5-35b-a3b"] = """{"resolved":{"model_dtype":"bfloat16","quant_method":null,"kv_cache_dtype":"auto"},"enabled":["attn","ffn","unembed"],"invalid":{"mla_attn":"not_mla"},"components":{"attn":{"num_hidden_layers":40,"hidden_size":2048,"num_attention_heads":16,"activation_byte_size":2,"tp_size":1,"pp_size":1,"num_key_value_heads":2,"head_dim":256,"cache_byte_size":2,"weight_byte_size":2,"num_swa_layers":0},"ffn":{"num_hidden_layers":40,"hidden_size":2048,"activation_byte_size":2,"pp_size":1,"ffn_tp_size":1,"ffn_ep_size":1,"intermediate_size":8192,"num_experts":256,"num_experts_per_tok":8,"moe_intermediate_size":512,"num_shared_experts":0,"num_moe_layers":40,"weight_byte_size":2},"unembed":{"hidden_size":2048,"vocab_size":248320,"weight_byte_size":2,"activation_byte_size":2,"tp_size":1}}}""",

        // deepseek-ai/DeepSeek-R1-0528: model_type deepseek_v3 with kv_lora_rank 512, so is_deepseek_mla: attn is
        // invalid (uses_mla) and mla_attn is built. Dtype: torch_dtype bfloat16 (2 bytes); quantization_config
        // quant_method fp8 (1 byte, weights of mla_attn and ffn); kv cache auto = model dtype (2 bytes).
        // ffn: n_routed_experts 256 (get_num_experts), num_experts_per_tok 8, n_shared_experts 1,
        // moe layers = 61 - first_k_dense_replace 3 = 58 (moe_layer_freq 1). unembed: vocab 129280, dtype 2 bytes.
        ["deepseek-r1-0528"] = """{"resolved":{"model_dtype":"bfloat16","quant_method":"fp8","kv_cache_dtype":"auto"},"enabled":["mla_attn","ffn","unembed"],"invalid":{"attn":"uses_mla"},"components":{"mla_attn":{"num_hidden_layers":61,"hidden_size":7168,"num_attention_heads":128,"activation_byte_size":2,"tp_size":1,"pp_size":1,"weight_byte_size":1,"kv_lora_rank":512,"qk_nope_head_dim":128,"qk_rope_head_dim":64,"v_head_dim":128,"q_lora_rank":1536,"cache_byte_size":2},"ffn":{"num_hidden_layers":61,"hidden_size":7168,"activation_byte_size":2,"pp_size":1,"ffn_tp_size":1,"ffn_ep_size":1,"intermediate_size":18432,"num_experts":256,"num_experts_per_tok":8,"moe_intermediate_size":2048,"num_shared_experts":1,"num_moe_layers":58,"weight_byte_size":1},"unembed":{"hidden_size":7168,"vocab_size":129280,"weight_byte_size":2,"activation_byte_size":2,"tp_size":1}}}""",

        // Qwen/Qwen3-Coder-480B-A35B-Instruct: qwen3_moe, not MLA (mla_attn invalid: not_mla). head_dim 128 is
        // present (get_head_size), num_key_value_heads 8. use_sliding_window false, so the Qwen3-MoE config class
        // keeps no sliding window: num_swa_layers 0. No quantization: weights at bfloat16 (2 bytes).
        // ffn: num_experts 160, num_experts_per_tok 8, moe_intermediate_size 2560, no n_shared_experts key (0;
        // shared_expert_intermediate_size is not read), no interleave/moe_layer_freq key: all 62 layers are MoE.
        ["qwen3-coder-480b-a35b"] = """{"resolved":{"model_dtype":"bfloat16","quant_method":null,"kv_cache_dtype":"auto"},"enabled":["attn","ffn","unembed"],"invalid":{"mla_attn":"not_mla"},"components":{"attn":{"num_hidden_layers":62,"hidden_size":6144,"num_attention_heads":96,"activation_byte_size":2,"tp_size":1,"pp_size":1,"num_key_value_heads":8,"head_dim":128,"cache_byte_size":2,"weight_byte_size":2,"num_swa_layers":0},"ffn":{"num_hidden_layers":62,"hidden_size":6144,"activation_byte_size":2,"pp_size":1,"ffn_tp_size":1,"ffn_ep_size":1,"intermediate_size":8192,"num_experts":160,"num_experts_per_tok":8,"moe_intermediate_size":2560,"num_shared_experts":0,"num_moe_layers":62,"weight_byte_size":2},"unembed":{"hidden_size":6144,"vocab_size":151936,"weight_byte_size":2,"activation_byte_size":2,"tp_size":1}}}""",

        // nvidia/Llama-3.1-70B-Instruct-FP8: config.json has no quantization_config, so vLLM's get_config reads
        // hf_quant_config.json (the catalog applies it). Its producer.name is modelopt and quantization.quant_algo
        // FP8, so the method is modelopt (README "Quantization"): 1-byte weights for attn and ffn; unembed keeps the
        // dtype (2). head_dim absent: 8192 / 64 heads = 128; num_key_value_heads 8. Dense: no experts, so ffn has
        // num_experts 0, top-k 0, no MoE layers, moe_intermediate_size = intermediate_size (as llama-3.1-70b in golden-latest). The KV-cache dtype (kv_cache_quant_algo FP8 sits inside `quantization`) is
        // not pinned here: see the report.
        ["llama-3.1-70b-instruct-fp8"] = """{"resolved":{"model_dtype":"bfloat16","quant_method":"modelopt"},"enabled":["attn","ffn","unembed"],"invalid":{"mla_attn":"not_mla"},"components":{"attn":{"num_hidden_layers":80,"hidden_size":8192,"num_attention_heads":64,"activation_byte_size":2,"tp_size":1,"pp_size":1,"num_key_value_heads":8,"head_dim":128,"weight_byte_size":1,"num_swa_layers":0},"ffn":{"num_hidden_layers":80,"hidden_size":8192,"activation_byte_size":2,"pp_size":1,"ffn_tp_size":1,"ffn_ep_size":1,"intermediate_size":28672,"num_experts":0,"num_experts_per_tok":0,"moe_intermediate_size":28672,"num_shared_experts":0,"num_moe_layers":0,"weight_byte_size":1},"unembed":{"hidden_size":8192,"vocab_size":128256,"weight_byte_size":2,"activation_byte_size":2,"tp_size":1}}}""",
    };

    public static TheoryData<string> CatalogNames()
    {
        var data = new TheoryData<string>();
        foreach (var model in ModelCatalog.All)
        {
            data.Add(model.Name);
        }

        return data;
    }

    [Fact]
    public void Every_catalog_model_has_a_resolution_expectation_except_maverick()
    {
        // Llama-4-Maverick has no golden-latest vector and no hand derivation yet.
        var missing = ModelCatalog.All.Select(m => m.Name).Where(n => !Expected.ContainsKey(n)).ToList();
        Assert.Equal(["llama-4-maverick-17b-128e"], missing);
    }

    [Theory]
    [MemberData(nameof(CatalogNames))]
    public void Catalog_model_builds_the_components_vllm_builds_with_its_resolved_fields(string name)
    {
        if (!Expected.TryGetValue(name, out var json))
        {
            return;
        }

        var expected = JsonNode.Parse(json)!.AsObject();
        var source = ModelSource.Resolve(ModelCatalog.Find(name).Load());
        var metrics = ModelMetrics.Create(source);

        var resolved = expected["resolved"]!.AsObject();
        Assert.Equal((string?)resolved["quant_method"], source.QuantMethod);
        Assert.Equal(ModelDtype.BFloat16, source.Dtype);
        Assert.Equal(
            expected["enabled"]!.AsArray().Select(n => (string)n!).ToList(),
            metrics.Components.Select(c => c.Name).ToList());
        Assert.Equal(
            expected["invalid"]!.AsObject().Select(p => $"{p.Key}: {(string)p.Value!}").Order(StringComparer.Ordinal).ToList(),
            metrics.Outcomes.OfType<ComponentOutcome.Skipped>().Select(s => $"{s.Name}: {s.ReasonName}").Order(StringComparer.Ordinal).ToList());
        foreach (var (component, fields) in expected["components"]!.AsObject())
        {
            var actual = metrics.Components.Single(c => c.Name == component).Fields.ToDictionary(f => f.Name, f => f.Value);
            foreach (var (field, value) in fields!.AsObject())
            {
                Assert.True(actual.TryGetValue(field, out var got), $"{name}: {component} has no field {field}");
                Assert.True(value!.GetValue<decimal>() == got, $"{name}: {component}.{field} is {got}, expected {value}");
            }
        }
    }

    [Theory]
    [InlineData("deepseek-r1-0528", 576, 128, 256)]       // MLA: kv_lora_rank 512 + qk_rope_head_dim 64; num_key_value_heads 128; n_routed_experts 256
    [InlineData("kimi-k2-instruct", 576, 64, 384)]        // MLA: 512 + 64; num_key_value_heads 64; n_routed_experts 384
    [InlineData("gemma-4-26b-a4b", 512, 8, 128)]          // Gemma 4: max(head_dim 256, global_head_dim 512); text_config num_key_value_heads 8; num_experts 128
    [InlineData("qwen3.5-35b-a3b", 256, 2, 256)]          // text_config head_dim 256, num_key_value_heads 2, num_experts 256
    [InlineData("minimax-m2.5-nvfp4", 128, 8, 256)]       // head_dim 128, num_key_value_heads 8, num_local_experts 256
    [InlineData("qwen3-coder-480b-a35b", 128, 8, 160)]    // head_dim 128, num_key_value_heads 8, num_experts 160
    [InlineData("llama-3.1-70b-instruct-fp8", 128, 8, 0)] // 8192 / 64 = 128, num_key_value_heads 8, dense
    public void Head_size_kv_heads_and_experts_are_resolved_as_vllm_model_config_does(string name, long headSize, long kvHeads, long experts)
    {
        var source = ModelSource.Resolve(ModelCatalog.Find(name).Load());

        Assert.Equal(headSize, source.HeadSize().Value);
        Assert.Equal(kvHeads, source.TotalKvHeads().Value);
        Assert.Equal(experts, source.NumExperts().Value);
    }
}

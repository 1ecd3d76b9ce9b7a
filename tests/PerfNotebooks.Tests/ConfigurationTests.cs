using System.Text.Json.Nodes;
using PerfNotebooks.Models;
using PerfNotebooks.Vllm.Components;

namespace PerfNotebooks.Tests;

public class ConfigurationTests
{
    [Fact]
    public void Multimodal_config_reads_the_text_config()
    {
        var source = ModelSource.Resolve(ModelCatalog.Find("llama-4-scout-17b-16e").Load());

        Assert.Equal(5120, source.Config.TextNumber("hidden_size").Value);
        Assert.Equal(16, source.NumExperts().Value);
    }

    [Fact]
    public void Overrides_set_top_level_keys_merge_sub_configs_and_replace_plain_dicts()
    {
        var config = HfConfig.Parse("""{"a": 1, "text_config": {"x": 1, "y": 2}, "quantization_config": {"quant_method": "fp8", "b": 1}}""", "t.json");

        var merged = config.WithOverrides((JsonObject)JsonNode.Parse("""{"a": null, "text_config": {"y": 3}, "quantization_config": {"quant_method": "mxfp4"}}""")!);

        Assert.True(merged.Root.ContainsKey("a"));
        Assert.Null(merged.Root["a"]);
        Assert.Equal("""{"x":1,"y":3}""", merged.Text.ToJsonString());
        Assert.Equal("""{"quant_method":"mxfp4"}""", merged.Root["quantization_config"]!.ToJsonString());
        Assert.Equal(2, config.Text["y"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("""{"n_head_kv": 4}""", 4)]
    [InlineData("""{"num_key_value_heads": null}""", 2)]
    [InlineData("""{"multi_query": true}""", 1)]
    [InlineData("""{"num_kv_heads": 2, "num_key_value_heads": 1}""", 2)]
    public void Kv_heads_follow_vllm_alias_order(string overrides, long expected)
    {
        var source = ModelSource.Resolve(Models.Tiny(overrides), new EngineSettings { Vllm = VllmRevision.V2025_12 });

        Assert.Equal(expected, source.TotalKvHeads().Value);
    }

    [Theory]
    [InlineData("""{"head_dim": null, "hidden_size_per_head": 96}""", 96)]
    [InlineData("""{"head_dim": null}""", 4)]
    public void Head_size_falls_back_to_hidden_size_per_head_then_hidden_over_heads(string overrides, long expected)
    {
        Assert.Equal(expected, ModelSource.Resolve(Models.Tiny(overrides)).HeadSize().Value);
    }

    [Theory]
    [InlineData("auto", """{"torch_dtype": "float32"}""", ModelDtype.BFloat16)]
    [InlineData("auto", """{"torch_dtype": "float16"}""", ModelDtype.Float16)]
    [InlineData("auto", """{"torch_dtype": null}""", ModelDtype.BFloat16)]
    [InlineData("half", "{}", ModelDtype.Float16)]
    [InlineData("FLOAT", "{}", ModelDtype.Float32)]
    public void Dtype_resolves_as_vllm_does(string dtype, string overrides, ModelDtype expected)
    {
        Assert.Equal(expected, ModelSource.Resolve(Models.Tiny(overrides), new EngineSettings { Dtype = dtype }).Dtype);
    }

    [Theory]
    [InlineData("float64", null, "auto", 1, EngineErrorKind.UnknownDtype, "dtype")]
    [InlineData("auto", "nope", "auto", 1, EngineErrorKind.UnknownQuantizationMethod, "quantization")]
    [InlineData("bfloat16", "awq", "auto", 1, EngineErrorKind.DtypeNotSupportedByQuantization, "dtype")]
    [InlineData("auto", null, "float16", 1, EngineErrorKind.InvalidKvCacheDtype, "kv_cache_dtype")]
    [InlineData("auto", null, "auto", 3, EngineErrorKind.HeadsNotDivisibleByTp, "tensor_parallel_size")]
    public void Rejected_settings_name_the_setting_and_value(string dtype, string? quant, string kv, int tp, EngineErrorKind kind, string setting)
    {
        var error = Assert.Throws<EngineConfigException>(() => ModelSource.Resolve(Models.Tiny(),
            new EngineSettings { Dtype = dtype, Quantization = quant, KvCacheDtype = kv, TensorParallel = tp }));

        Assert.Equal(kind, error.Kind);
        Assert.Equal(setting, error.Setting);
        Assert.False(string.IsNullOrEmpty(error.Value));
    }

    [Fact]
    public void Float16_is_refused_for_gemma2()
    {
        var error = Assert.Throws<EngineConfigException>(() =>
            ModelSource.Resolve(Models.Tiny("""{"model_type": "gemma2"}"""), new EngineSettings { Dtype = "float16" }));

        Assert.Equal("float16_not_supported_for_model", error.KindName);
    }

    [Fact]
    public void Parallel_sizes_must_be_positive()
    {
        var error = Assert.Throws<InvalidValueException>(() => new EngineSettings { TensorParallel = 0 });

        Assert.Equal("TensorParallel must be greater than 0, not 0", error.Message);
    }

    [Fact]
    public void Malformed_json_names_the_file_and_position()
    {
        var error = Assert.Throws<ModelConfigException>(() => HfConfig.Parse("{\"a\": 1,\n \"b\": }", "broken.json"));

        Assert.StartsWith("broken.json: is not valid JSON (line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_is_one_clear_error()
    {
        var error = Assert.Throws<ModelConfigException>(() => HfConfig.Load("/nonexistent/config.json"));

        Assert.Equal("/nonexistent/config.json: no such file", error.Message);
    }

    [Fact]
    public void Non_integer_field_skips_the_component_naming_key_and_value()
    {
        var metrics = Models.Metrics(Models.Tiny("""{"intermediate_size": "wide"}"""));

        var skipped = Assert.Single(metrics.Skipped);
        Assert.Equal("ffn", skipped.Name);
        Assert.Contains("intermediate_size must be an integer, not \"wide\"", skipped.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_interleave_step_is_a_config_error_not_a_wrong_number()
    {
        var error = Assert.Throws<ModelConfigException>(() => Models.Metrics(Models.Tiny("""{"interleave_moe_layer_step": null}""")));

        Assert.Equal("interleave_moe_layer_step", error.Key);
    }

    [Fact]
    public void Parser_chain_later_parser_overrides_weight_bits()
    {
        var source = ModelSource.Resolve(ModelCatalog.Find("qwen3-32b-fp8").Load());

        var args = AttentionMetrics.Parsers.Parse(source);

        Assert.Equal(8, args.WeightByteSize!.Value.Bits);
    }
}

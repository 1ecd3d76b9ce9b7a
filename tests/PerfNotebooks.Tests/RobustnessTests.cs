using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PerfNotebooks.Analysis;
using PerfNotebooks.Hardware;
using PerfNotebooks.Models;
using PerfNotebooks.Vllm;
using PerfNotebooks.Vllm.Components;
using PerfNotebooks.Vllm.Interop;

namespace PerfNotebooks.Tests;

/// Each reproduced crash or hang ("no crash, no hang, on any input"), pinned.
public class RobustnessTests
{
    private static readonly LineEvaluator Evaluator = new(name => HfConfig.Load(Path.Combine(Paths.GoldenConfigs, name)));

    private static string OneGpuJson(GpuSpec gpu)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            GpuCatalog.WriteJson(writer, [gpu]);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Theory]
    [InlineData("[]", "empty list")]
    [InlineData("null", "must be a JSON object, not null")]
    [InlineData("42", "must be a JSON object, not 42")]
    [InlineData("[1]", "must be a JSON object, not 1")]
    [InlineData("\"H100\"", "must be a JSON object, not \"H100\"")]
    public void Gpu_file_that_is_not_one_object_is_one_clean_line(string json, string expected)
    {
        var e = Assert.Throws<ModelConfigException>(() => GpuCatalog.Read("my.json", json));
        Assert.StartsWith("my.json: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("flops_efficiency", "\"x\"", "'flops_efficiency': must be a fraction in (0, 1], not \"x\"")]
    [InlineData("bandwidth_efficiency", "[0.5]", "'bandwidth_efficiency': must be a fraction in (0, 1], not [0.5]")]
    [InlineData("flops_efficiency", "2", "'flops_efficiency': must be a fraction in (0, 1], not 2")]
    [InlineData("aliases", "[1]", "'aliases': must be a list of strings, not [1]")]
    [InlineData("memory_gb", "\"80\"", "'memory_gb': must be a positive number, not \"80\"")]
    [InlineData("name", "null", "'name': must be a string, not null")]
    public void Gpu_field_of_the_wrong_type_names_the_field_and_value(string field, string value, string expected)
    {
        var gpu = JsonNode.Parse(OneGpuJson(GpuCatalog.Find("H100-SXM")))!.AsArray()[0]!.AsObject();
        gpu[field] = JsonNode.Parse(value);
        var e = Assert.Throws<ModelConfigException>(() => GpuCatalog.Read("my.json", gpu.ToJsonString()));
        Assert.Equal("my.json: " + expected, e.Message);
    }

    [Fact]
    public void Gpus_json_writer_output_reads_back_to_the_same_catalog()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            GpuCatalog.WriteJson(writer, GpuCatalog.All);
        }

        var read = GpuCatalog.ReadAll("gpus.json", Encoding.UTF8.GetString(stream.ToArray()));

        Assert.Equal(GpuCatalog.All.Length, read.Length);
        foreach (var (original, copy) in GpuCatalog.All.Zip(read))
        {
            Assert.Equal(original.Name, copy.Name);
            Assert.Equal(original.Vendor, copy.Vendor);
            Assert.Equal(original.Aliases.ToArray(), copy.Aliases.ToArray());
            Assert.Equal(original.PeakFlopsPerSecond.OrderBy(p => p.Key), copy.PeakFlopsPerSecond.OrderBy(p => p.Key));
            Assert.Equal(original.MemoryBytes, copy.MemoryBytes);
            Assert.Equal(original.MemoryBytesPerSecond, copy.MemoryBytesPerSecond);
            Assert.Equal(original.Interconnect, copy.Interconnect);
            Assert.Equal(original.InterconnectBytesPerSecond, copy.InterconnectBytesPerSecond);
            Assert.Equal(original.Source, copy.Source);
        }
    }

    [Fact]
    public void Gpu_file_written_for_one_gpu_is_what_find_reads_with_its_efficiencies()
    {
        var gpu = GpuCatalog.Find("H100-SXM") with { FlopsEfficiency = 0.7, BandwidthEfficiency = 0.85 };
        var path = Path.Combine(Path.GetTempPath(), $"perfnb-gpu-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, OneGpuJson(gpu));
        try
        {
            var read = GpuCatalog.Find(path);

            Assert.Equal("H100-SXM", read.Name);
            Assert.Equal(0.7, read.FlopsEfficiency);
            Assert.Equal(0.85, read.BandwidthEfficiency);
            Assert.Equal(gpu.Peak(ComputeDtype.Bf16, applyEfficiency: true), read.Peak(ComputeDtype.Bf16, applyEfficiency: true));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Gpu_file_of_the_whole_catalog_names_its_gpus_instead_of_picking_one()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            GpuCatalog.WriteJson(writer, GpuCatalog.All);
        }

        var e = Assert.Throws<ModelConfigException>(() => GpuCatalog.Read("my.json", Encoding.UTF8.GetString(stream.ToArray())));
        Assert.Contains($"holds {GpuCatalog.All.Length} GPUs (A100-40GB, ", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"log\":{\"delta_time\":\"x\"}", "'log.delta_time' must be a number, not \"x\"")]
    [InlineData("\"debug\":true,\"log\":{\"delta_time\":1,\"calc_durations\":[null]}", "'log.calc_durations[0]' must be a number, not null")]
    [InlineData("\"log\":{\"delta_time\":1,\"calc_durations\":3}", "'log.calc_durations' must be a list of numbers, not 3")]
    [InlineData("\"log\":[]", "'log' must be an object, not []")]
    public void Eval_line_with_a_bad_log_gives_an_error_line_and_the_next_line_still_evaluates(string log, string error)
    {
        const string step = "\"steps\":[{\"scheduled_new_reqs\":[{\"req_id\":\"a\",\"num_computed_tokens\":0}],\"num_scheduled_tokens\":{\"a\":16}}]";
        var bad = Evaluator.Evaluate($"{{\"id\":\"bad\",\"config\":\"llama-3.1-8b.json\",{step},{log}}}");
        var good = Evaluator.Evaluate($"{{\"id\":\"good\",\"config\":\"llama-3.1-8b.json\",{step}}}");

        var output = JsonNode.Parse(bad)!.AsObject();
        Assert.Equal(["id", "error"], output.Select(p => p.Key));
        Assert.Equal(error, (string?)output["error"]);
        Assert.StartsWith("{\"id\":\"good\",\"steps\":[{\"num_flops_per_gpu\":", good, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_new_request_that_is_not_an_object_is_an_error_line()
    {
        var line = Evaluator.Evaluate("{\"id\":1,\"config\":\"llama-3.1-8b.json\",\"steps\":[{\"scheduled_new_reqs\":[7]}]}");

        Assert.Equal("{\"id\":1,\"error\":\"'scheduled_new_reqs[]' must be an object, not 7\"}", line);
    }

    [Fact]
    public void Model_config_that_is_a_device_is_refused_without_reading_it()
    {
        var e = Assert.Throws<ModelConfigException>(() => HfConfig.Load("/dev/zero"));

        Assert.Equal("/dev/zero: is empty or not a regular file (a device or a pipe)", e.Message);
    }

    [Fact]
    public void Model_config_larger_than_the_cap_is_refused_naming_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"perfnb-shard-{Guid.NewGuid():N}.safetensors");
        using (var file = File.Create(path))
        {
            file.SetLength(1L << 30); // sparse: 1 GiB on paper, nothing on disk
        }

        try
        {
            var e = Assert.Throws<ModelConfigException>(() => HfConfig.Load(path));

            Assert.Equal($"{path}: is 1,073,741,824 bytes or more, over the 8 MiB a config may hold: is it a weights file? Give the config.json", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static JsonObject MoeConfig(long layers) => new()
    {
        ["hidden_size"] = 8,
        ["num_attention_heads"] = 2,
        ["num_key_value_heads"] = 2,
        ["num_hidden_layers"] = layers,
        ["vocab_size"] = 16,
        ["intermediate_size"] = 16,
        ["num_experts"] = 4,
        ["num_experts_per_tok"] = 2,
        ["moe_intermediate_size"] = 8,
    };

    private static long? MoeLayers(JsonObject config) =>
        FfnMetrics.Parsers.Parse(ModelSource.Resolve(HfConfig.Parse(config.ToJsonString(), "moe.json"))).NumMoeLayers;

    [Fact]
    public void Moe_layer_freq_with_two_to_the_forty_layers_counts_in_closed_form()
    {
        var config = MoeConfig(1L << 40);
        config["moe_layer_freq"] = 3;
        config["first_k_dense_replace"] = 5;

        // Layers 6, 9, 12, … below 2^40: multiples of 3 in [5, 2^40 − 1] = floor((2^40 − 1) / 3) − 1 = 366,503,875,924.
        Assert.Equal(366_503_875_924L, MoeLayers(config));
    }

    [Fact]
    public void Interleave_moe_layer_step_with_two_to_the_forty_layers_counts_in_closed_form()
    {
        var config = MoeConfig(1L << 40);
        config["interleave_moe_layer_step"] = 2;

        Assert.Equal(1L << 39, MoeLayers(config));
    }

    [Fact]
    public void Moe_layer_counts_in_closed_form_equal_vllms_loop_for_every_small_case()
    {
        for (var layers = 0; layers <= 13; layers++)
        {
            foreach (var freq in new[] { -4, -3, -1, 1, 2, 3, 5 })
            {
                foreach (var firstDense in new[] { -2, 0, 1, 3, 7, 20 })
                {
                    var config = MoeConfig(layers);
                    config["moe_layer_freq"] = freq;
                    config["first_k_dense_replace"] = firstDense;
                    // vLLM: len([l for l in range(L) if l >= k and l % freq == 0]); Python's % is 0 when |freq| divides l.
                    var expected = Enumerable.Range(0, layers).Count(l => l >= firstDense && l % Math.Abs(freq) == 0);
                    Assert.Equal(expected, MoeLayers(config));
                }
            }

            foreach (var step in new[] { 1, 2, 3, 4, 7, 20 })
            {
                var config = MoeConfig(layers);
                config["interleave_moe_layer_step"] = step;
                Assert.Equal(Enumerable.Range(0, layers).Count(l => (l + 1) % step == 0), MoeLayers(config));
            }
        }
    }

    [Theory]
    [InlineData("num_experts", -128)]
    [InlineData("num_experts_per_tok", -2)]
    [InlineData("moe_intermediate_size", -8)]
    [InlineData("n_shared_experts", -1)]
    public void Negative_moe_field_skips_ffn_as_a_validation_error_naming_field_and_value(string key, long value)
    {
        var config = MoeConfig(4);
        config[key] = value;
        var metrics = ModelMetrics.Create(ModelSource.Resolve(HfConfig.Parse(config.ToJsonString(), "moe.json")));

        var skipped = Assert.Single(metrics.Skipped);
        Assert.Equal("ffn", skipped.Name);
        Assert.Equal("validation_error", skipped.ReasonName);
        var field = key == "n_shared_experts" ? "num_shared_experts" : key;
        Assert.Contains($"{field} must be at least 0, not {value}", skipped.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(metrics.ReadBytes(Batch.Prefill(16), Scope.PerGpu).Terms, t => t.Value < 0);
    }

    [Fact]
    public void Memory_utilization_out_of_range_is_one_line_without_framework_text()
    {
        var metrics = ModelMetrics.Create(ModelSource.Resolve(ModelCatalog.Load("llama-3.1-8b")));

        var e = Assert.Throws<InvalidValueException>(() => MemoryPlanner.Plan(metrics, GpuCatalog.Find("H100-SXM"), utilization: 2));

        Assert.Equal("gpu_memory_utilization must be a fraction in (0, 1], not 2", e.Message);
    }

    [Fact]
    public void Empty_model_name_is_one_line_without_framework_text()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => ModelCatalog.Load(string.Empty));

        Assert.Equal("model must be a config path, a catalog name or a Hugging Face id, not ''", e.Message);
    }

    [Fact]
    public void Engine_setting_out_of_range_names_the_setting_and_value()
    {
        var e = Assert.ThrowsAny<ArgumentOutOfRangeException>(() => new EngineSettings { TensorParallel = -3 });

        Assert.Equal("TensorParallel must be greater than 0, not -3", e.Message);
    }
}

using PerfNotebooks.Analysis;
using PerfNotebooks.Hardware;
using PerfNotebooks.Requests;

namespace PerfNotebooks.Tests;

public class RequestModelTests
{
    [Theory]
    [InlineData("8192", 8192)]
    [InlineData("8_192", 8192)]
    [InlineData("4k", 4096)]
    [InlineData("32K", 32768)]
    [InlineData("1M", 1048576)]
    public void Quantity_accepts_k_and_M_suffixes(string text, long expected)
    {
        Assert.True(Quantity.TryParse(text, out var value, out _));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-4")]
    [InlineData("4.5")]
    [InlineData("banana")]
    [InlineData("9223372036854775807k")]
    public void Quantity_rejects_what_is_not_a_positive_whole_number(string text)
    {
        Assert.False(Quantity.TryParse(text, out _, out var error));
        Assert.Equal($"must be {Quantity.Syntax}, not '{text}'", error);
    }

    [Fact]
    public void Default_batch_is_one_2048_token_prefill_and_32_decodes_at_8192()
    {
        var batch = BatchSpec.Default.ToBatch();

        Assert.Equal((1L, 2048L, 32L, 32L * 8192), (batch.PrefillRequests, batch.PrefillTokens, batch.DecodeRequests, batch.DecodeContextLength));
        Assert.Equal(RequestSpec.DefaultStep, batch);
    }

    [Fact]
    public void Batch_header_gives_context_per_request_not_summed()
    {
        Assert.Equal("1 prefill of 2,048 tokens + 32 decode at 8,192 context", BatchSpec.Default.ToBatch().ToString());
        Assert.Equal("2 prefill of 512 tokens at 4,096 context", Batch.Empty.WithPrefills(2, 512, 4096).ToString());
        Assert.Equal("2 decode at 150 mean context", Batch.Decodes(1, 100).WithDecodes(1, 201).ToString());
        Assert.Equal("empty batch", Batch.Empty.ToString());
    }

    [Fact]
    public void Batch_spec_parses_repeated_and_comma_separated_groups_with_suffixes()
    {
        Assert.True(BatchSpec.TryParse(["2k", "512:4kx2"], ["8kx32,4096"], out var spec, out _));

        var batch = spec.ToBatch();
        Assert.Equal((3L, 2048L + 1024, 33L, (32L * 8192) + 4096), (batch.PrefillRequests, batch.PrefillTokens, batch.DecodeRequests, batch.DecodeContextLength));
        Assert.Equal("--prefill 2048 --prefill 512:4096x2 --decode 8192x32 --decode 4096", spec.ToString());
    }

    [Fact]
    public void Batch_spec_error_names_the_option()
    {
        Assert.False(BatchSpec.TryParse([], ["8192x0"], out _, out var error));
        Assert.Equal($"--decode COUNT must be {Quantity.Syntax}, not '0'", error);
    }

    [Fact]
    public void Option_text_builds_engine_settings_from_names_and_values()
    {
        Assert.True(OptionText.TryParse(
            [new("--tp", "4"), new("dtype", "bfloat16"), new("ep", null), new("hf-overrides", """{"num_hidden_layers": 2}""")],
            RequestOptions.EngineGroup, out var values, out var error), error);

        var engine = RequestOptions.ReadEngine(values);

        Assert.Equal((4, 1, "bfloat16", true), (engine.TensorParallel, engine.PipelineParallel, engine.Dtype, engine.EnableExpertParallel));
        Assert.Equal(2, (int)engine.HfOverrides!["num_hidden_layers"]!);
    }

    [Theory]
    [InlineData("tp", "banana", "--tp must be a positive whole number (suffix k = ×1024, M = ×1048576 allowed), not 'banana'")]
    [InlineData("dtype", "fp9", "--dtype must be one of auto, half, float16, bfloat16, float, float32, not 'fp9'")]
    [InlineData("context", "5", "unknown option --context; options are: --dtype, --kv-cache-dtype, --quantization, --tp, --pp, --dp, --ep, --hf-overrides, --disable-sliding-window, --vllm")]
    [InlineData("hf-overrides", "[1]", "--hf-overrides must be a JSON object, not [1]")]
    public void Option_text_rejects_bad_and_unknown_options_in_one_line(string name, string value, string expected)
    {
        Assert.False(OptionText.TryParse([new(name, value)], RequestOptions.EngineGroup, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Vllm_bench_serve_spellings_of_the_lengths_are_the_same_options()
    {
        Assert.True(OptionText.TryParse([new("--random-input-len", "2k"), new("random-output-len", "64")], RequestOptions.ServeGroup, out var values, out var error), error);

        Assert.True(values.TryGet(RequestOptions.InputLength, out var input));
        Assert.True(values.TryGet(RequestOptions.OutputLength, out var output));
        Assert.Equal((2048L, 64L), (input, output));
        Assert.False(OptionText.TryParse([new("input-len", "1k"), new("random-input-len", "2k")], RequestOptions.ServeGroup, out _, out error));
        Assert.Equal("--input-len was given 2 times; give it once", error);
    }

    [Fact]
    public void Single_option_given_twice_is_an_error()
    {
        Assert.False(OptionText.TryParse([new("tp", "2"), new("tp", "4")], RequestOptions.EngineGroup, out _, out var error));
        Assert.Equal("--tp was given 2 times; give it once", error);
    }

    [Fact]
    public void Gpu_defaults_to_H100_SXM_at_datasheet_peaks()
    {
        var gpu = RequestOptions.ReadGpu(OptionText.Empty);

        Assert.Equal(("H100-SXM", false), (gpu.Gpu.Name, gpu.ApplyEfficiency));
        Assert.Equal(GpuChoice.DefaultName, gpu.Gpu.Name);
    }

    [Fact]
    public void Gpu_file_efficiency_applies_without_a_flag()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, """{"name": "X", "peak_tflops": {"bf16": 100}, "memory_gb": 10, "memory_bandwidth_gbps": 1000, "interconnect_gbps": 10, "flops_efficiency": 0.5}""");

        Assert.True(OptionText.TryParse([new("gpu", file)], RequestOptions.GpuGroup, out var values, out var error), error);
        var gpu = RequestOptions.ReadGpu(values);
        File.Delete(file);

        Assert.True(gpu.ApplyEfficiency);
        Assert.Equal(50e12, gpu.Gpu.Peak(ComputeDtype.Bf16, gpu.ApplyEfficiency));
    }

    [Fact]
    public void Stated_efficiency_overrides_the_gpu_and_applies()
    {
        Assert.True(OptionText.TryParse([new("gpu", "h200"), new("bandwidth-efficiency", "0.8")], RequestOptions.GpuGroup, out var values, out _));

        var gpu = RequestOptions.ReadGpu(values);

        Assert.True(gpu.ApplyEfficiency);
        Assert.Equal(4.8e12 * 0.8, gpu.Gpu.Bandwidth(gpu.ApplyEfficiency), 1e-3);
    }

    [Fact]
    public void Unknown_gpu_lists_the_catalog()
    {
        Assert.False(OptionText.TryParse([new("gpu", "H9000")], RequestOptions.GpuGroup, out _, out var error));
        Assert.StartsWith("--gpu H9000: not a catalog GPU or a GPU JSON file; catalog GPUs are: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Sweep_grid_defaults_are_one_layout_on_H100_over_the_default_batch_axes()
    {
        var spec = RequestOptions.ReadSweepGrid(OptionText.Empty).ToSpec();

        Assert.Equal(new[] { "H100-SXM" }, spec.Gpus.ToArray());
        Assert.Equal(9 * 4, spec.Batches.Length);
        Assert.Equal(BatchShape.Decode(1, 1024), spec.Batches[0]);
        Assert.Equal(BatchShape.Decode(256, 65536), spec.Batches[^1]);
    }

    [Fact]
    public void Sweep_lists_accept_suffixes_and_add_up_over_repeats()
    {
        Assert.True(OptionText.TryParse([new("context", "4k,32k"), new("context", "1M"), new("ep", "off,on"), new("quantization", "checkpoint,fp8")],
            RequestOptions.SweepGroup, out var values, out var error), error);

        var grid = RequestOptions.ReadSweepGrid(values);

        Assert.Equal(new[] { 4096L, 32768, 1048576 }, grid.Contexts.ToArray());
        Assert.Equal(new[] { false, true }, grid.ExpertParallel.ToArray());
        Assert.Equal(new[] { null, "fp8" }, grid.Quantizations.ToArray());
    }
}

using System.Text.Json;
using PerfNotebooks.Cli;

namespace PerfNotebooks.Tests;

public class CliTests
{
    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = PerfCli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Step_prints_the_breakdown_table()
    {
        var (code, output, error) = Run("step", "llama-3.1-70b", "--tp", "4", "--prefill", "2048", "--decode", "8192x32");

        Assert.Equal(0, code);
        Assert.Empty(error);
        Approvals.Verify(output, "Cli.step_llama70b_tp4");
    }

    [Fact]
    public void Serve_takes_vllm_bench_serves_length_flags()
    {
        var canonical = Run("serve", "llama-3.1-8b", "--input-len", "2048", "--output-len", "64", "--num-prompts", "50", "--json");
        var benchServe = Run("serve", "llama-3.1-8b", "--random-input-len", "2048", "--random-output-len", "64", "--num-prompts", "50", "--json");

        Assert.Equal((0, ""), (benchServe.Code, benchServe.Error));
        Assert.Equal(canonical.Output, benchServe.Output);
        Assert.Equal(2048, JsonDocument.Parse(benchServe.Output).RootElement.GetProperty("random_input_len").GetInt64());
    }

    [Theory]
    [InlineData("ttft:60000", "tpot:1000")]
    [InlineData("ttft:60000,tpot:1000", null)]
    public void Serve_takes_goodput_pairs_as_vllm_bench_serve_does(string first, string? second)
    {
        string[] goodput = second is null ? ["--goodput", first] : ["--goodput", first, second];
        var (code, output, error) = Run(["serve", "llama-3.1-8b", "--num-prompts", "60", "--output-len", "32", .. goodput, "--json"]);
        var repeated = Run("serve", "llama-3.1-8b", "--num-prompts", "60", "--output-len", "32", "--goodput", "ttft:60000", "--goodput", "tpot:1000", "--json");
        var strict = Run("serve", "llama-3.1-8b", "--num-prompts", "60", "--output-len", "32", "--goodput", "ttft:1", "tpot:1", "--json");

        Assert.Equal((0, ""), (code, error));
        Assert.Equal(repeated.Output, output);
        var root = JsonDocument.Parse(output).RootElement;
        // SLOs every request meets: goodput is the request throughput; SLOs none meets: zero.
        Assert.Equal(root.GetProperty("request_throughput").GetDouble(), root.GetProperty("request_goodput").GetDouble(), 9);
        Assert.Equal(0, JsonDocument.Parse(strict.Output).RootElement.GetProperty("request_goodput").GetDouble());
    }

    [Fact]
    public void Serve_names_a_bad_goodput_pair_once()
    {
        var (code, _, error) = Run("serve", "llama-3.1-8b", "--goodput", "ttft:300", "tpot:x");

        Assert.Equal(2, code);
        Assert.Equal("perfnb serve: --goodput 'tpot:x' is not KEY:MS with a non-negative number of milliseconds\n", error.Replace("\r", "", StringComparison.Ordinal));
    }

    [Fact]
    public void Step_lists_skipped_components_with_reasons()
    {
        var (code, output, _) = Run("step", "llama-3.1-8b", "--dtype", "float16", "--quantization", "bitsandbytes", "--decode", "100", "--exact");

        Assert.Equal(0, code);
        Approvals.Verify(output, "Cli.step_llama8b_bitsandbytes_skipped");
    }

    [Theory]
    [InlineData(new[] { "step", "llama-3.1-8b", "--tpp", "2" }, 2, "perfnb step: unknown option '--tpp'; did you mean --tp?")]
    [InlineData(new[] { "step", "llama-3.1-8b", "--kv-cache-dtyp", "fp8" }, 2, "perfnb step: unknown option '--kv-cache-dtyp'; did you mean --kv-cache-dtype?")]
    [InlineData(new[] { "step", "llama-3.1-8b", "--tp", "two" }, 2, "perfnb step: --tp must be a positive whole number (suffix k = ×1024, M = ×1048576 allowed), not 'two'")]
    [InlineData(new[] { "step", "llama-3.1-8b", "--tp", "7" }, 1, "perfnb step: tensor_parallel_size '7' rejected: Total number of attention heads (32) must be divisible by tensor parallel size (7).")]
    [InlineData(new[] { "step", "no-such-model" }, 1, "perfnb step: no-such-model: not a file, a folder, a catalog model or a Hugging Face id (org/name); catalog models are: llama-3.1-8b")]
    [InlineData(new[] { "step" }, 2, "perfnb step: missing MODEL; usage: perfnb step MODEL [options]")]
    [InlineData(new[] { "frobnicate" }, 2, "perfnb: unknown command 'frobnicate'; commands are: step, report, roofline, memory, sweep, plan, models, gpus, eval, measured, help")]
    [InlineData(new[] { "step", "llama-3.1-8b", "--kv-cache-dtype", "int4" }, 2, "perfnb step: --kv-cache-dtype must be one of auto, bfloat16, fp8")]
    [InlineData(new[] { "step", "llama-3.1-8b", "--decode", "8kx0" }, 2, "perfnb step: --decode COUNT must be a positive whole number")]
    [InlineData(new[] { "help", "bogus" }, 2, "perfnb help: Argument 'bogus' not recognized. Must be one of: 'step' 'report'")]
    [InlineData(new[] { "memory", "llama-3.1-8b", "--gpu", "H100-SXM", "--utilisation", "0.8" }, 2, "perfnb memory: unknown option '--utilisation'; did you mean --utilization?")]
    public void Bad_input_gets_one_line_naming_it(string[] args, int expectedCode, string expectedStart)
    {
        var (code, output, error) = Run(args);

        Assert.Equal(expectedCode, code);
        Assert.Empty(output);
        Assert.StartsWith(expectedStart, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Theory]
    [InlineData("models", new[] { "models" })]
    [InlineData("gpus", new[] { "gpus", "--sources" })]
    [InlineData("roofline_llama8b_h100_decode", new[] { "roofline", "llama-3.1-8b", "--gpu", "H100-SXM", "--decode", "4096" })]
    [InlineData("roofline_llama70b_tp4_prefill", new[] { "roofline", "llama-3.1-70b", "--tp", "4", "--prefill", "2048", "--flops-efficiency", "0.7" })]
    [InlineData("memory_llama8b_h100", new[] { "memory", "llama-3.1-8b", "--gpu", "H100-SXM", "--context", "8192" })]
    [InlineData("memory_405b_does_not_fit", new[] { "memory", "llama-3.1-405b", "--tp", "2" })]
    [InlineData("sweep_table", new[] { "sweep", "--model", "llama-3.1-70b,mixtral-8x7b", "--gpu", "H100-SXM,MI300X", "--tp", "1,4,7", "--decode-batch", "1,64", "--context", "8192", "--max-tpot-ms", "30" })]
    [InlineData("sweep_dtypes_top", new[] { "sweep", "--model", "llama-3.1-8b", "--kv-cache-dtype", "auto,fp8", "--decode-batch", "1,256", "--context", "32k", "--top", "3" })]
    [InlineData("step_default", new[] { "step", "llama-3.1-8b" })]
    [InlineData("roofline_default", new[] { "roofline", "llama-3.1-8b" })]
    [InlineData("step_llama70b_tp4_json", new[] { "step", "llama-3.1-70b", "--tp", "4", "--json" })]
    [InlineData("memory_405b_tp2_json", new[] { "memory", "llama-3.1-405b", "--tp", "2", "--json" })]
    [InlineData("roofline_llama70b_tp4_json", new[] { "roofline", "llama-3.1-70b", "--tp", "4", "--json" })]
    [InlineData("models_json", new[] { "models", "--json" })]
    public void Analysis_command_output_matches_snapshot(string name, string[] args)
    {
        var (code, output, error) = Run(args);

        Assert.Equal(0, code);
        Assert.Empty(error);
        Approvals.Verify(output, "Cli." + name);
    }

    [Fact]
    public void Sweep_writes_csv_with_every_point()
    {
        var file = Path.GetTempFileName();

        var (code, output, _) = Run("sweep", "--model", "llama-3.1-8b", "--tp", "1,2", "--decode-batch", "1,2,4", "--context", "1k,2k", "--csv", file);

        Assert.Equal(0, code);
        Assert.Equal("wrote 12 points to " + file + "\n", output);
        Assert.Equal(13, File.ReadAllLines(file).Length);
        File.Delete(file);
    }

    [Theory]
    [InlineData(new[] { "roofline", "llama-3.1-8b", "--gpu", "A100-80GB", "--compute-dtype", "fp8" }, "perfnb roofline: A100-80GB has no fp8 peak in its datasheet; it has")]
    [InlineData(new[] { "roofline", "llama-3.1-8b", "--gpu", "Z9000" }, "perfnb roofline: --gpu Z9000: not a catalog GPU or a GPU JSON file; catalog GPUs are: A100-40GB")]
    [InlineData(new[] { "memory", "llama-3.1-8b", "--utilization", "1.5" }, "perfnb memory: --utilization must be a fraction in (0, 1], e.g. 0.9, not '1.5'")]
    [InlineData(new[] { "sweep", "--gpu", "H100-SXM" }, "perfnb sweep: --model is required")]
    [InlineData(new[] { "sweep", "--model", "llama-3.1-8b", "--ep", "maybe" }, "perfnb sweep: --ep takes off and/or on, not 'maybe'")]
    [InlineData(new[] { "sweep", "--model", "llama-3.1-8b", "--context", "4q" }, "perfnb sweep: --context must be a positive whole number")]
    public void Analysis_commands_reject_bad_input_in_one_line(string[] args, string expectedStart)
    {
        var (code, output, error) = Run(args);

        Assert.NotEqual(0, code);
        Assert.Empty(output);
        Assert.StartsWith(expectedStart, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Theory]
    [InlineData("step", "--help")]
    [InlineData("help", "step")]
    public void Help_lists_options_both_ways(string first, string second)
    {
        var (code, output, _) = Run(first, second);

        Assert.Equal(0, code);
        Assert.Contains("--kv-cache-dtype <DTYPE>", output, StringComparison.Ordinal);
        Assert.Contains(" step <MODEL> [options]", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_prints_the_assembly_version()
    {
        var (code, output, _) = Run("--version");

        Assert.Equal(0, code);
        Assert.Matches(@"^\d+\.\d+\.\d+", output);
    }

    [Fact]
    public void No_arguments_show_help_and_exit_with_the_usage_code()
    {
        var (code, output, _) = Run();

        Assert.Equal(2, code);
        Assert.Contains("exit codes: 0 ok, 1 bad input, 2 usage error", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Memory_json_keeps_byte_counts_exact()
    {
        var (code, output, _) = Run("memory", "llama-3.1-8b", "--json");

        using var json = JsonDocument.Parse(output);
        Assert.Equal(0, code);
        Assert.Equal("16059990016", json.RootElement.GetProperty("weight_bytes").GetRawText());
        Assert.Equal("131072", json.RootElement.GetProperty("kv_bytes_per_token").GetRawText());
    }

    [Fact]
    public void Roofline_json_keeps_counts_exact_past_2_to_the_53()
    {
        var (code, output, _) = Run("roofline", "llama-3.1-405b", "--prefill", "10M", "--json");

        using var json = JsonDocument.Parse(output);
        var step = json.RootElement.GetProperty("step");
        var exact = PerfModel.Load("llama-3.1-405b").Flops(Batch.Prefill(10 * 1024 * 1024)).Total;
        Assert.Equal(0, code);
        Assert.Equal(exact.ToString(System.Globalization.CultureInfo.InvariantCulture), step.GetProperty("flops").GetRawText());
    }

    [Fact]
    public void Gpu_file_efficiency_applies_in_perfnb_roofline()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, """{"name": "Half-H100", "peak_tflops": {"bf16": 989}, "memory_gb": 80, "memory_bandwidth_gbps": 3350, "interconnect_gbps": 450, "bandwidth_efficiency": 0.5}""");

        var (code, output, _) = Run("roofline", "llama-3.1-8b", "--gpu", file, "--decode", "4096");
        File.Delete(file);

        Assert.Equal(0, code);
        Assert.Contains("1.68 TB/s | ridge 590 FLOP/B | with stated efficiencies", output, StringComparison.Ordinal);
        Assert.Contains("vLLM book roofline: 9.29 ms", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Redirected_sweep_writes_no_carriage_return_progress()
    {
        var file = Path.GetTempFileName();

        var (code, output, error) = Run("sweep", "--model", "llama-3.1-8b", "--tp", "1,2", "--decode-batch", "1k", "--context", "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20", "--csv", file);
        File.Delete(file);

        Assert.Equal(0, code);
        Assert.DoesNotContain('\r', output + error);
        Assert.Empty(error);
    }

    [Theory]
    [InlineData("cases.jsonl")]
    [InlineData("override_cases.jsonl")]
    [InlineData("scheduler_steps.jsonl")]
    [InlineData("engine_errors.jsonl")]
    [InlineData("profiler_cases.jsonl")]
    public void Eval_reproduces_every_expected_value_of_a_golden_file(string file)
    {
        var input = Path.Combine(Paths.Golden, file);
        var (code, output, error) = Run("eval", "--cases", input, "--configs", Paths.GoldenConfigs, "--vllm", "2025-12");

        Assert.Equal(0, code);
        Assert.Empty(error);
        var inputs = File.ReadLines(input).Where(l => l.Trim().Length > 0).ToList();
        var outputs = output.TrimEnd('\n').Split('\n');
        Assert.Equal(inputs.Count, outputs.Length);
        for (var i = 0; i < inputs.Count; i++)
        {
            using var expectedLine = JsonDocument.Parse(inputs[i]);
            using var actualLine = JsonDocument.Parse(outputs[i]);
            var root = expectedLine.RootElement;
            Assert.Equal(root.GetProperty("id").GetString(), actualLine.RootElement.GetProperty("id").GetString());
            if (root.TryGetProperty("expected_error_kind", out var kind))
            {
                Assert.Equal(kind.GetString(), actualLine.RootElement.GetProperty("error_kind").GetString());
                continue;
            }

            foreach (var property in root.GetProperty("expected").EnumerateObject())
            {
                var diff = JsonDiff.FirstDifference(property.Value, actualLine.RootElement.GetProperty(property.Name), property.Name);
                Assert.True(diff is null, $"{file} line {i + 1}: {diff}");
            }
        }
    }

    [Fact]
    public void Eval_writes_an_error_field_and_goes_on()
    {
        var file = Path.GetTempFileName();
        File.WriteAllLines(file,
        [
            """{"id": "bad", "config": "missing.json", "engine": {}, "requests": []}""",
            """{"id": "good", "config": "llama-3.1-8b", "engine": {"tensor_parallel_size": 2}, "requests": [{"num_tokens": 1, "context_len": 5, "is_prefill": false}], "per_gpu": true}""",
        ]);

        var (code, output, _) = Run("eval", "--cases", file);

        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal(0, code);
        Assert.StartsWith("""{"id":"bad","error":"missing.json: not a file, a folder, a catalog model or a Hugging Face id (org/name)""", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("""{"id":"good","resolved":{"model_dtype":"bfloat16","quant_method":null,"kv_cache_dtype":"auto"}""", lines[1], StringComparison.Ordinal);
        File.Delete(file);
    }
}

using System.Text.Json;
using PerfNotebooks.Analysis;
using PerfNotebooks.Cli;
using PerfNotebooks.Hardware;

namespace PerfNotebooks.Tests;

public class ServeCommandTests
{
    private static readonly string[] FigureKeys = ["ttft_ms", "itl_ms", "tpot_ms", "e2e_s", "output_tokens_per_s", "output_tokens_per_s_per_gpu"];

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = PerfCli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static double[] Values(ServeFigures f) =>
    [
        f.TimeToFirstTokenSeconds * 1e3, f.InterTokenLatencySeconds * 1e3, f.TimePerOutputTokenSeconds * 1e3, f.EndToEndSeconds,
        f.OutputTokensPerSecondPerReplica, f.OutputTokensPerSecondPerGpu,
    ];

    [Theory]
    [InlineData("--batch", ServeMode.StaticBatch)]
    [InlineData("--concurrency", ServeMode.ClosedLoop)]
    public void Serve_json_gives_the_library_figures_expected_and_bound(string modeOption, ServeMode mode)
    {
        var (code, output, error) = Run("serve", "llama-3.1-8b", "--gpu", "H100-SXM", "--tp", "2", "--input-len", "1024", "--output-len", "64", modeOption, "8", "--json");

        Assert.Equal(0, code);
        Assert.Empty(error);
        var source = PerfModel.Load("llama-3.1-8b", new EngineSettings { TensorParallel = 2 }).Source;
        var gpu = GpuCatalog.Find("H100-SXM");
        var request = mode == ServeMode.StaticBatch
            ? ServeRequest.StaticBatch(source, gpu, 8, 1024, 64)
            : ServeRequest.ClosedLoop(source, gpu, 8, 1024, 64);
        var expected = ServingSimulator.Run(request);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("llama-3.1-8b", root.GetProperty("model").GetString());
        Assert.Equal("H100-SXM", root.GetProperty("gpu").GetString());
        Assert.Equal("TP2 PP1 DP1", root.GetProperty("layout").GetString());
        Assert.Equal(8, root.GetProperty(modeOption[2..]).GetInt64());
        Assert.Equal(1024, root.GetProperty("input_len").GetInt64());
        Assert.Equal(64, root.GetProperty("output_len").GetInt64());
        Assert.True(root.GetProperty("fits").GetBoolean());
        Assert.Equal(JsonValueKind.Array, root.GetProperty("notes").ValueKind);
        var e = Values(expected.Expected!);
        var b = Values(expected.Bound!);
        for (var i = 0; i < FigureKeys.Length; i++)
        {
            Assert.Equal(e[i], root.GetProperty(FigureKeys[i]).GetDouble(), 12);
            Assert.Equal(b[i], root.GetProperty("bound").GetProperty(FigureKeys[i]).GetDouble(), 12);
        }
    }

    [Fact]
    public void Serve_times_kernels_from_measured_tables_when_given_a_systems_folder()
    {
        // The shape of vLLM's CI latency test (batch 8, 32 in, 128 out): the measured tables answer instead of the
        // shipped fitted curves, and the figures are the library's with that timer.
        var (code, output, error) = Run("serve", "llama-3.1-8b", "--gpu", "H100-SXM", "--input-len", "32", "--output-len", "128", "--batch", "8",
            "--kernel-tables", Paths.SiliconSystems, "--json");

        Assert.Equal(0, code);
        Assert.Empty(error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("measured", json.RootElement.GetProperty("timer").GetString());
        var gpu = GpuCatalog.Find("H100-SXM");
        var request = ServeRequest.StaticBatch(PerfModel.Load("llama-3.1-8b").Source, gpu, 8, 32, 128) with
        {
            Timer = Physical.Kernels.KernelTimers.Expected(gpu, Paths.SiliconSystems),
        };
        Assert.Equal(ServingSimulator.Run(request).Expected!.EndToEndSeconds, json.RootElement.GetProperty("e2e_s").GetDouble(), 12);
    }

    [Fact]
    public void Serve_with_a_missing_kernel_tables_folder_fails_in_one_line_naming_it()
    {
        var (code, _, error) = Run("serve", "llama-3.1-8b", "--input-len", "32", "--output-len", "8", "--batch", "1", "--kernel-tables", "/nonexistent/systems");

        Assert.Equal(1, code);
        Assert.Contains("/nonexistent/systems", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Serve_bound_times_are_no_longer_than_expected_and_bound_throughput_no_lower()
    {
        var (code, output, _) = Run("serve", "llama-3.1-8b", "--gpu", "H100-SXM", "--input-len", "2048", "--output-len", "128", "--concurrency", "32", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        var bound = root.GetProperty("bound");
        foreach (var key in new[] { "ttft_ms", "itl_ms", "tpot_ms", "e2e_s" })
        {
            Assert.True(bound.GetProperty(key).GetDouble() <= root.GetProperty(key).GetDouble(), key);
            Assert.True(bound.GetProperty(key).GetDouble() > 0, key);
        }

        Assert.True(bound.GetProperty("output_tokens_per_s").GetDouble() >= root.GetProperty("output_tokens_per_s").GetDouble());
    }

    [Fact]
    public void Serve_table_names_the_kernel_timer_and_the_memory_fit()
    {
        var (code, output, error) = Run("serve", "llama-3.1-8b", "--gpu", "H100-SXM", "--input-len", "1024", "--output-len", "128", "--batch", "8");

        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Contains("static batch 8 × (1024 in, 128 out)", output, StringComparison.Ordinal);
        Assert.Contains("time to first token", output, StringComparison.Ordinal);
        Assert.Contains("expected times from the fitted kernel timer", output, StringComparison.Ordinal);
        Assert.Contains("fits: the KV cache holds", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_says_when_the_weights_do_not_fit_and_what_vllm_would_do()
    {
        var (code, output, _) = Run("serve", "llama-3.1-70b", "--gpu", "H100-SXM", "--input-len", "1024", "--output-len", "128", "--batch", "8", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.False(json.RootElement.GetProperty("fits").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("ttft_ms").ValueKind);
        Assert.Contains("vLLM would fail to load", json.RootElement.GetProperty("notes")[0].GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "serve", "llama-3.1-8b", "--input-len", "1024", "--output-len", "128" }, 2)]
    [InlineData(new[] { "serve", "llama-3.1-8b", "--input-len", "1024", "--output-len", "128", "--batch", "2", "--concurrency", "4" }, 2)]
    public void Serve_takes_exactly_one_of_batch_and_concurrency(string[] args, int expectedCode)
    {
        var (code, output, error) = Run(args);

        Assert.Equal(expectedCode, code);
        Assert.Empty(output);
        Assert.Equal("perfnb serve: give exactly one of --batch N (static batch) or --concurrency N (closed loop)\n", error);
    }

    [Fact]
    public void Serve_rejects_a_zero_batch_in_one_line()
    {
        var (code, _, error) = Run("serve", "llama-3.1-8b", "--input-len", "1024", "--output-len", "128", "--batch", "0");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith("perfnb serve: --batch ", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Theory]
    [InlineData("serve", "--help")]
    [InlineData("help", "serve")]
    public void Serve_help_lists_its_options(string first, string second)
    {
        var (code, output, _) = Run(first, second);

        Assert.Equal(0, code);
        foreach (var option in new[] { "--input-len", "--output-len", "--batch", "--concurrency", "--max-num-batched-tokens", "--json", "--gpu", "--tp" })
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Step_vllm_exports_prints_the_mfu_line_and_counters_computed_by_hand()
    {
        // Llama-3.1-8B, two decode tokens at context 1000: matmul weights per layer q 4096² + kv 2·4096·1024 + o 4096²
        // + MLP 3·4096·14336 = 218,103,808, × 32 layers + unembed 4096·128,256 = 7,504,658,432 params; × 2 FLOPs × 2
        // tokens = 30,018,633,728, plus attention 2 tokens × 32 layers × 4·1000·4096 = 1,048,576,000: 31,067,209,728 FLOPs.
        // Over 0.01 s that is 3.1 TF/s.
        var (code, output, error) = Run("step", "llama-3.1-8b", "--decode", "1000x2", "--vllm", "2026-09", "--vllm-exports", "--elapsed-s", "0.01");

        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Contains("\nMFU: 3.1 TF/s/device ", output, StringComparison.Ordinal);
        Assert.Contains("\nvllm:estimated_flops_per_gpu_total{engine=\"0\",model_name=\"llama-3.1-8b\"} 31067209728.0\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Step_without_vllm_exports_prints_no_counters()
    {
        var (code, output, _) = Run("step", "llama-3.1-8b", "--decode", "1000x2");

        Assert.Equal(0, code);
        Assert.DoesNotContain("vllm:estimated", output, StringComparison.Ordinal);
    }
}

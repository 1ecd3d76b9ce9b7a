using System.Text.Json;
using PerfNotebooks.Cli;
using PerfNotebooks.Hardware;
using PerfNotebooks.Serving;
namespace PerfNotebooks.Tests;

public class ServeCommandTests
{
    // vllm bench serve's result fields (vllm/benchmarks/serve.py).
    private static readonly string[] MetricKeys =
    [
        "mean_ttft_ms", "median_ttft_ms", "p90_ttft_ms", "p99_ttft_ms", "mean_tpot_ms", "median_tpot_ms", "p99_tpot_ms",
        "mean_itl_ms", "median_itl_ms", "p99_itl_ms", "mean_e2el_ms", "median_e2el_ms", "p99_e2el_ms",
        "request_throughput", "output_throughput", "total_token_throughput",
    ];

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = PerfCli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static double[] Values(BenchmarkMetrics m) =>
    [
        m.Ttft.MeanSeconds * 1e3, m.Ttft.MedianSeconds * 1e3, m.Ttft.P90Seconds * 1e3, m.Ttft.P99Seconds * 1e3,
        m.Tpot.MeanSeconds * 1e3, m.Tpot.MedianSeconds * 1e3, m.Tpot.P99Seconds * 1e3,
        m.Itl.MeanSeconds * 1e3, m.Itl.MedianSeconds * 1e3, m.Itl.P99Seconds * 1e3,
        m.E2el.MeanSeconds * 1e3, m.E2el.MedianSeconds * 1e3, m.E2el.P99Seconds * 1e3,
        m.RequestThroughput, m.OutputThroughput, m.TotalTokenThroughput,
    ];

    public static TheoryData<string[], LoadClient> Clients => new()
    {
        { ["--batch", "8"], new StaticBatchClient { Batch = 8, Dataset = RandomDataset.Fixed(1024, 64) } },
        { ["--concurrency", "8"], AiperfClient.Standard(8, 1024, 64) },
        { ["--request-rate", "10", "--num-prompts", "200"], new BenchServeClient { NumPrompts = 200, RequestRate = 10, IgnoreEos = true, Dataset = RandomDataset.Fixed(1024, 64) } },
        { ["--max-concurrency", "16", "--num-prompts", "100"], new BenchServeClient { NumPrompts = 100, MaxConcurrency = 16, IgnoreEos = true, Dataset = RandomDataset.Fixed(1024, 64) } },
    };

    [Theory]
    [MemberData(nameof(Clients))]
    public void Serve_json_gives_the_library_figures_in_vllm_bench_serve_field_names_expected_and_bound(string[] clientArgs, LoadClient client)
    {
        var (code, output, error) = Run(["serve", "llama-3.1-8b", "--gpu", "H100-SXM", "--tp", "2", "--input-len", "1024", "--output-len", "64", .. clientArgs, "--json"]);

        Assert.Equal(0, code);
        Assert.Empty(error);
        var source = PerfModel.Load("llama-3.1-8b", new EngineSettings { TensorParallel = 2 }).Source;
        var expected = ServeSimulator.Run(new ServeBenchmark { Source = source, Gpu = GpuCatalog.Find("H100-SXM"), Client = client });
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("llama-3.1-8b", root.GetProperty("model").GetString());
        Assert.Equal("TP2 PP1 DP1", root.GetProperty("layout").GetString());
        Assert.Equal(1024, root.GetProperty("random_input_len").GetInt64());
        Assert.Equal(64, root.GetProperty("random_output_len").GetInt64());
        Assert.True(root.GetProperty("fits").GetBoolean());
        Assert.Equal(client.MeasuredRequests, root.GetProperty("completed").GetInt64());
        Assert.Equal(JsonValueKind.Array, root.GetProperty("notes").ValueKind);
        var e = Values(expected.Expected!);
        var b = Values(expected.Bound!);
        for (var i = 0; i < MetricKeys.Length; i++)
        {
            Assert.Equal(e[i], root.GetProperty(MetricKeys[i]).GetDouble(), 9);
            Assert.Equal(b[i], root.GetProperty("bound").GetProperty(MetricKeys[i]).GetDouble(), 9);
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
        var benchmark = ServeBenchmark.StaticBatch(PerfModel.Load("llama-3.1-8b").Source, gpu, 8, 32, 128) with
        {
            Server = new ServerSettings { Timer = Physical.Kernels.KernelTimers.Expected(gpu, Paths.SiliconSystems) },
        };
        Assert.Equal(ServeSimulator.Run(benchmark).Expected!.E2el.MeanSeconds * 1e3, json.RootElement.GetProperty("mean_e2el_ms").GetDouble(), 9);
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
        foreach (var key in new[] { "mean_ttft_ms", "mean_itl_ms", "mean_tpot_ms", "mean_e2el_ms" })
        {
            Assert.True(bound.GetProperty(key).GetDouble() <= root.GetProperty(key).GetDouble(), key);
            Assert.True(bound.GetProperty(key).GetDouble() > 0, key);
        }

        Assert.True(bound.GetProperty("output_throughput").GetDouble() >= root.GetProperty("output_throughput").GetDouble());
    }

    [Fact]
    public void Serve_prints_the_vllm_bench_serve_table_with_percentiles_and_the_engine_over_time()
    {
        var (code, output, error) = Run("serve", "llama-3.1-8b", "--gpu", "H100-SXM", "--request-rate", "10", "--num-prompts", "1000");

        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Contains("vllm bench serve, 1000 prompts at 10 req/s (Poisson), 1024 in, 128 out", output, StringComparison.Ordinal);
        foreach (var row in new[] { "successful requests", "request throughput", "mean TTFT", "median TTFT", "P90 TTFT", "P99 TTFT", "P99 TPOT", "P99 ITL", "P99 E2EL", "running", "waiting", "KV cache", "preemptions" })
        {
            Assert.Contains(row, output, StringComparison.Ordinal);
        }

        Assert.Contains("expected times from the fitted kernel timer", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bench_rate10", new[] { "--request-rate", "10", "--num-prompts", "200" })]
    [InlineData("aiperf_c16_json", new[] { "--concurrency", "16", "--input-len", "2048", "--output-len", "256", "--json" })]
    [InlineData("bench_c32_goodput_json", new[] { "--max-concurrency", "32", "--num-prompts", "300", "--random-input-len", "1000", "--random-output-len", "200", "--random-range-ratio", "0.5", "--goodput", "ttft:300", "tpot:20", "--json" })]
    public void Serve_output_matches_snapshot(string name, string[] args)
    {
        // The table and the JSON as a user sees them; a change to the simulator's figures shows here line by line.
        var (code, output, error) = Run(["serve", "llama-3.1-8b", "--gpu", "H100-SXM", .. args]);

        Assert.Equal((0, string.Empty), (code, error));
        Approvals.Verify(output, "Serve." + name);
    }

    [Fact]
    public void Serve_says_when_the_weights_do_not_fit_and_what_vllm_would_do()
    {
        var (code, output, _) = Run("serve", "llama-3.1-70b", "--gpu", "H100-SXM", "--input-len", "1024", "--output-len", "128", "--batch", "8", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.False(json.RootElement.GetProperty("fits").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("completed").ValueKind);
        Assert.Contains("vLLM would fail to load", json.RootElement.GetProperty("notes")[0].GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "serve", "llama-3.1-8b", "--batch", "2", "--concurrency", "4" }, "perfnb serve: give at most one of --batch N (static batch) and --concurrency N (aiperf concurrency mode)\n")]
    [InlineData(new[] { "serve", "llama-3.1-8b", "--concurrency", "4", "--request-rate", "5" }, "perfnb serve: --request-rate, --max-concurrency and --burstiness are vllm bench serve's: leave out --batch and --concurrency to use them\n")]
    public void Serve_rejects_clients_that_contradict_each_other_in_one_line(string[] args, string message)
    {
        var (code, output, error) = Run(args);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Equal(message, error);
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
        foreach (var option in new[] { "--input-len", "--output-len", "--num-prompts", "--request-rate", "--max-concurrency", "--burstiness", "--goodput", "--batch", "--concurrency", "--max-num-batched-tokens", "--max-num-seqs", "--json", "--gpu", "--tp" })
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

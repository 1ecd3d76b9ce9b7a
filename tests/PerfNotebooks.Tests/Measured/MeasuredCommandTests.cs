using System.Text.Json;
using PerfNotebooks.Cli;
using PerfNotebooks.Hardware;
using PerfNotebooks.Measured;
using PerfNotebooks.Serving;
namespace PerfNotebooks.Tests.Measured;

public class MeasuredCommandTests
{
    private static string Fixture(string name) => Path.Combine(Paths.MeasuredFixtures, name);

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = PerfCli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Log_json_lists_every_step_with_measured_expected_and_bound_from_the_library()
    {
        var (code, output, error) = Run("measured", "llama-3.1-8b", "--gpu", "H100-SXM", "--log", Fixture("vllm-serve-dp2.log"), "--decode-context", "4096", "--json");
        Assert.Equal(0, code);
        Assert.Empty(error);
        using var json = JsonDocument.Parse(output);
        var steps = json.RootElement.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(8, steps.Count); // 9 iteration lines, one dummy
        var first = steps[0];
        Assert.Equal(["iteration", "engine", "prefill_requests", "prefill_tokens", "decode_requests", "decode_tokens", "measured_ms", "expected_ms", "bound_ms", "line"],
            first.EnumerateObject().Select(p => p.Name));
        Assert.Equal(96.25, first.GetProperty("measured_ms").GetDouble());
        var expected = PerfModel.Load("llama-3.1-8b").Expected(GpuCatalog.Find("H100-SXM")).Estimate(Batch.Prefill(2048));
        Assert.Equal(expected.ExpectedSeconds * 1e3, first.GetProperty("expected_ms").GetDouble(), 9);
        Assert.Equal(expected.BoundSeconds * 1e3, first.GetProperty("bound_ms").GetDouble(), 9);
        Assert.Equal(["0", "1"], steps.Where(s => s.GetProperty("prefill_tokens").GetInt64() == 256 || s.GetProperty("iteration").GetInt64() == 5)
            .Select(s => s.GetProperty("engine").GetString()));
        var skipped = json.RootElement.GetProperty("skipped").EnumerateArray().Select(s => s.GetProperty("why").GetString()!).ToList();
        Assert.Equal(4, skipped.Count);
    }

    [Fact]
    public void Bench_json_puts_measured_and_predicted_under_bench_serve_names()
    {
        var (code, output, error) = Run("measured", "llama-3.1-8b", "--gpu", "H100-SXM", "--bench", Fixture("vllm-bench-serve.json"), "--json");
        Assert.Equal(0, code);
        Assert.Empty(error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(48.0, json.RootElement.GetProperty("measured").GetProperty("median_ttft_ms").GetDouble());
        // The same client: 32 prompts, all at once, at most 8 in flight, 1,024 in and 128 out.
        var client = new BenchServeClient { NumPrompts = 32, MaxConcurrency = 8, Dataset = RandomDataset.Fixed(1024, 128) };
        var replay = PerfModel.Load("llama-3.1-8b").Serve(GpuCatalog.Find("H100-SXM"), client).Expected!;
        var predicted = json.RootElement.GetProperty("predicted");
        Assert.Equal(replay.Ttft.MeanSeconds * 1e3, predicted.GetProperty("mean_ttft_ms").GetDouble(), 9);
        Assert.Equal(replay.Itl.P99Seconds * 1e3, predicted.GetProperty("p99_itl_ms").GetDouble(), 9);
        Assert.Equal(replay.OutputThroughput, predicted.GetProperty("output_throughput").GetDouble(), 9);
    }

    [Fact]
    public void Scrape_json_gives_measured_rates_and_the_predicted_mean_step()
    {
        var (code, output, error) = Run("measured", "llama-3.1-8b", "--metrics", Fixture("metrics-1.prom"), Fixture("metrics-2.prom"), "--interval-s", "10",
            "--decode-context", "2048", "--json");
        Assert.Equal(0, code);
        Assert.Empty(error);
        using var json = JsonDocument.Parse(output);
        var series = "{engine=\"0\",model_name=\"meta-llama/Llama-3.1-8B-Instruct\"}";
        Assert.Equal(128, json.RootElement.GetProperty("measured").GetProperty(series).GetProperty("steps_per_s").GetDouble(), 9);

        // 2,560 generation tokens over 1,280 steps: 2 decodes; 18 tokens per step: 16 prefill tokens.
        var predicted = json.RootElement.GetProperty("predicted").GetProperty(series);
        Assert.Equal((16, 2), (predicted.GetProperty("prefill_tokens_per_step").GetInt64(), predicted.GetProperty("decode_requests_per_step").GetInt64()));
        var step = PerfModel.Load("llama-3.1-8b").Expected(GpuCatalog.Find("H100-SXM")).Estimate(Batch.Prefill(16).WithDecodes(2, 2048));
        Assert.Equal(step.ExpectedSeconds * 1e3, predicted.GetProperty("step_ms").GetDouble(), 9);
    }

    [Fact]
    public void Trace_table_prints_measured_beside_expected_per_category()
    {
        var (code, output, error) = Run("measured", Fixture("llama-2-layer.config.json"), "--tp", "2", "--trace", Fixture("llm-tp2-steps.pt.trace.json"), "--decode", "1024");
        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Contains("measured per step", output, StringComparison.Ordinal);
        Assert.Contains("gpu_model_runner: forward", output, StringComparison.Ordinal);
        Assert.Contains("each step taken to run: 1 decode at 1,024 context", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_writes_a_calibration_that_serve_and_roofline_accept()
    {
        var file = Path.Combine(Path.GetTempPath(), $"perfnb-fit-{Guid.NewGuid():N}.json");
        try
        {
            var (code, output, error) = Run("measured", "llama-3.1-8b", "--gpu", "H100-SXM", "--log", Fixture("vllm-serve-dp2.log"), "--fit", file, "--engine-version", "vLLM 0.11.0");
            Assert.Equal(0, code);
            Assert.Empty(error);
            Assert.StartsWith($"wrote {file}: calibration H100-SXM vLLM 0.11.0:", output, StringComparison.Ordinal);
            var calibration = Calibration.Load(file);
            Assert.Equal(8, calibration.Steps);
            Assert.True(calibration.RmsRelativeErrorAfter < calibration.RmsRelativeErrorBefore);

            var plain = Run("serve", "llama-3.1-8b", "--gpu", "H100-SXM", "--input-len", "1024", "--output-len", "64", "--batch", "8", "--json");
            var fitted = Run("serve", "llama-3.1-8b", "--gpu", "H100-SXM", "--input-len", "1024", "--output-len", "64", "--batch", "8", "--json", "--calibration", file);
            Assert.Equal(0, fitted.Code);
            using var a = JsonDocument.Parse(plain.Output);
            using var b = JsonDocument.Parse(fitted.Output);
            Assert.NotEqual(a.RootElement.GetProperty("mean_ttft_ms").GetDouble(), b.RootElement.GetProperty("mean_ttft_ms").GetDouble());
            Assert.Equal(0, Run("roofline", "llama-3.1-8b", "--gpu", "H100-SXM", "--calibration", file).Code);

            var other = Run("serve", "llama-3.1-8b", "--gpu", "A100-80GB", "--input-len", "8", "--output-len", "8", "--batch", "1", "--calibration", file);
            Assert.Equal(ExitCodes.Usage, other.Code);
            Assert.Contains("was fitted on H100-SXM, not A100", other.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData(new[] { "measured", "llama-3.1-8b" }, "give exactly one of --log FILE")]
    [InlineData(new[] { "measured", "llama-3.1-8b", "--log", "nope.log" }, "log file 'nope.log' not found")]
    [InlineData(new[] { "measured", "llama-3.1-8b", "--trace", "nope.json" }, "trace 'nope.json' not found")]
    [InlineData(new[] { "measured", "llama-3.1-8b", "--profiler-config", "{\"profiler\": \"torch\"}" }, "--profiler-config")]
    public void Bad_input_is_one_line(string[] args, string expected)
    {
        var (code, output, error) = Run(args);
        Assert.NotEqual(0, code);
        Assert.Empty(output);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Equal(1, error.Count(c => c == '\n'));
    }
}

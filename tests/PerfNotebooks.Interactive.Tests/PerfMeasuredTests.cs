using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;
using PerfNotebooks.Hardware;
using PerfNotebooks.Measured;

namespace PerfNotebooks.Interactive.Tests;

public class PerfMeasuredTests
{
    private static string Fixture(string name) => Path.Combine(Paths.Root, "tests", "PerfNotebooks.Tests", "Fixtures", "Measured", name);

    [Fact]
    public void Measured_log_is_the_library_comparison_of_the_session_model_and_gpu()
    {
        var magic = PerfMagic.Reset();
        magic.Run("model llama-3.1-8b");
        magic.Run("gpu H100-SXM");

        var result = magic.Run($"measured --log {Fixture("vllm-serve-dp2.log")} --decode-context 4096").MeasuredLog;

        var expected = PerfModel.Load("llama-3.1-8b").Measured(ServerLog.Load(Fixture("vllm-serve-dp2.log")), GpuCatalog.Find("H100-SXM"), decodeContextLength: 4096);
        Assert.Equal(8, result.Steps.Length); // 9 iteration lines, one a data-parallel dummy
        Assert.Equal(96.25, result.Steps[0].Step.ElapsedMilliseconds);
        Assert.Equal(expected.Steps.Select(s => s.Expected.ExpectedSeconds), result.Steps.Select(s => s.Expected.ExpectedSeconds));
        Assert.Equal(4096, result.DecodeContextLength);
        Assert.Equal(expected.RmsRelativeError, result.RmsRelativeError);
    }

    [Fact]
    public void Measured_trace_runs_the_given_batch_on_the_gpu_option_and_draws_the_category_chart()
    {
        var magic = PerfMagic.Reset();
        magic.Run($"model {Fixture("llama-2-layer.config.json")} --tp 2");

        var line = magic.Run($"measured --trace {Fixture("llm-tp2-steps.pt.trace.json")} --decode 1024 --gpu A100-80GB");
        var result = line.MeasuredTrace;

        var model = PerfModel.Load(Fixture("llama-2-layer.config.json"), new EngineSettings { TensorParallel = 2 });
        var expected = model.Measured(ProfilerTrace.Load(Fixture("llm-tp2-steps.pt.trace.json")), GpuCatalog.Find("A100-80GB"), Batch.Decode(1024));
        Assert.Equal("H100-SXM", magic.Gpu.Name); // --gpu applies to this line only
        Assert.Equal(4, result.Trace.Steps.Length); // one prefill step and three decode steps
        Assert.Equal<double>(expected.MeasuredPerStep, result.MeasuredPerStep);
        Assert.Equal<double>(expected.Expected.CategorySeconds, result.Expected.CategorySeconds);
        var chart = Assert.Single(line.Figures);
        Assert.Equal("Kernel time per step by category: measured (trace) and expected", chart.Layout.Title);
        var html = NotebookHtml.Render(line);
        Assert.Contains("each step taken to run: 1 decode at 1,024 context", html, StringComparison.Ordinal);
        Assert.Contains("gpu_model_runner: forward", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Measured_scrapes_and_bench_read_the_figures_the_cli_reads()
    {
        var magic = PerfMagic.Reset();
        magic.Run("model llama-3.1-8b");

        var scrape = magic.Run($"measured --metrics {Fixture("metrics-1.prom")},{Fixture("metrics-2.prom")} --interval-s 10").MeasuredScrape;
        var bench = magic.Run($"measured --bench {Fixture("vllm-bench-serve.json")}");

        Assert.Equal(10, scrape.Window.IntervalSeconds);
        var series = "{engine=\"0\",model_name=\"meta-llama/Llama-3.1-8B-Instruct\"}";
        Assert.Equal(2, scrape.Window.Series.Length); // one series per engine
        Assert.Equal(128, scrape.Window.Get("steps_per_s", series)!.Value, 9);
        Assert.Equal(48.0, bench.MeasuredBenchmark.Result.Get("median_ttft_ms"));
        var chart = Assert.Single(bench.Figures);
        Assert.Equal(48.0, chart.Traces[0] is Rendering.Figures.BarTrace measured ? measured.Y[measured.XLabels.IndexOf("median_ttft_ms")] : double.NaN);
    }

    [Theory]
    [InlineData("measured", "#!perf measured: give exactly one of --log FILE, --metrics SCRAPE[,SCRAPE2], --bench FILE or --trace FILE")]
    [InlineData("measured --log a.log --bench b.json", "#!perf measured: give exactly one of --log FILE")]
    [InlineData("measured --log /nonexistent/vllm.log", "#!perf measured: ")]
    [InlineData("measured --decode-context abc --log x", "#!perf measured: --decode-context must be a positive whole number")]
    public void Measured_with_wrong_inputs_gets_one_line(string line, string expected)
    {
        var magic = PerfMagic.Reset();
        magic.Run("model llama-3.1-8b");

        var error = Assert.Throws<PerfMagicException>(() => magic.Run(line));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Measured_line_in_the_kernel_shows_heading_chart_and_table()
    {
        var (kernel, _) = await RealKernel.LoadedAsync();
        using var __ = kernel;
        await kernel.SubmitCodeAsync("#!perf model llama-3.1-8b");

        var result = await kernel.SubmitCodeAsync($"#!perf measured --log \"{Fixture("vllm-serve-dp2.log")}\" --gpu H100-SXM --decode-context 4096");

        Assert.DoesNotContain(result.Events, e => e is CommandFailed or ErrorProduced);
        var outputs = result.Events.OfType<DisplayedValueProduced>().ToList();
        Assert.Equal(3, outputs.Count); // heading, the step chart, the tables
        Assert.Contains("8 steps", outputs[0].FormattedValues.Single(v => v.MimeType == "text/html").Value, StringComparison.Ordinal);
        Assert.Contains(outputs[1].FormattedValues, v => v.MimeType == "application/vnd.plotly.v1+json" && v.Value.Contains("Measured step time against expected", StringComparison.Ordinal));
        var tables = outputs[2].FormattedValues.Single(v => v.MimeType == "text/html").Value;
        Assert.Contains("measured by kind", tables, StringComparison.Ordinal);
        Assert.Contains("decodes attend to 4,096 tokens (given)", tables, StringComparison.Ordinal);
    }
}

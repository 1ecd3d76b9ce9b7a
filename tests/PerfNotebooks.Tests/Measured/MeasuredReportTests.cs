using System.Net;
using System.Text.RegularExpressions;
using PerfNotebooks.Cli;
using PerfNotebooks.Hardware;
using PerfNotebooks.Measured;
using PerfNotebooks.Rendering;

namespace PerfNotebooks.Tests.Measured;

public partial class MeasuredReportTests
{
    private static string Fixture(string name) => Path.Combine(Paths.MeasuredFixtures, name);

    private static (int Code, string Html, string Error) Report(params string[] args)
    {
        var file = Path.Combine(Path.GetTempPath(), $"perfnb-report-{Guid.NewGuid():N}.html");
        try
        {
            var (output, error) = (new StringWriter(), new StringWriter());
            var code = PerfCli.Run(["report", .. args, "--no-sweep", "-o", file], output, error);
            return (code, File.Exists(file) ? File.ReadAllText(file) : string.Empty, error.ToString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// The rows of the table with this class name, each as its cells' text.
    private static List<string[]> Rows(string html, string table)
    {
        var start = html.IndexOf($"<table class=\"perfnb {table}\">", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no table '{table}'");
        var body = html[start..html.IndexOf("</table>", start, StringComparison.Ordinal)];
        return [.. RowPattern().Matches(body).Select(r => CellPattern().Matches(r.Value).Select(c => WebUtility.HtmlDecode(c.Groups[1].Value)).ToArray()).Where(c => c.Length > 0)];
    }

    [Fact]
    public void Report_with_a_trace_shows_each_category_measured_per_step_beside_expected()
    {
        var (code, html, error) = Report(Fixture("llama-2-layer.config.json"), "--tp", "2", "--trace", Fixture("llm-tp2-steps.pt.trace.json"), "--decode", "1024");

        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Contains("<h2>Measured beside predicted</h2>", html, StringComparison.Ordinal);
        Assert.Contains("Kernel time per step by category: measured (trace) and expected", html, StringComparison.Ordinal);
        var rows = Rows(html, "measured trace").ToDictionary(r => r[0]);
        // One prefill step (gemm 385, attention 64, collective 60, elementwise 47, memcpy 4 µs) and three decode steps
        // (121, 26, 32, 26, 4 µs): the mean per step is gemm (385 + 3 × 121) / 4 = 187 µs, attention 35.5 µs,
        // collective 39 µs, elementwise 31.25 µs, memcpy 4 µs; 296.75 µs of kernels.
        Assert.Equal(["187 µs", "35.5 µs", "39.0 µs", "31.3 µs", "4.00 µs", "297 µs"],
            new[] { "gemm", "attention", "collective", "norm_elementwise", "memcpy", "kernels" }.Select(c => rows[c][1]));
        var model = PerfModel.Load(Fixture("llama-2-layer.config.json"), new EngineSettings { TensorParallel = 2 });
        var expected = model.Measured(ProfilerTrace.Load(Fixture("llm-tp2-steps.pt.trace.json")), GpuCatalog.Find("H100-SXM"), Batch.Decode(1024)).Expected;
        foreach (var category in new[] { KernelCategory.Gemm, KernelCategory.Attention, KernelCategory.Collective, KernelCategory.Elementwise })
        {
            Assert.Equal(Units.Seconds(expected.Seconds(category)), rows[KernelClassifier.Key(category)][2]);
        }

        Assert.Equal(Units.Seconds(expected.CategorySeconds.Sum()), rows["kernels"][2]);
    }

    [Fact]
    public void Report_with_a_benchmark_shows_measured_predicted_and_bound_per_field()
    {
        var (code, html, error) = Report("llama-3.1-8b", "--bench", Fixture("vllm-bench-serve.json"));

        Assert.Equal(0, code);
        Assert.Empty(error);
        var rows = Rows(html, "measured benchmark").ToDictionary(r => r[0]);
        Assert.Equal("48.0", rows["median_ttft_ms"][1]);
        var comparison = PerfModel.Load("llama-3.1-8b").Measured(BenchmarkResult.Load(Fixture("vllm-bench-serve.json")), GpuCatalog.Find("H100-SXM"));
        Assert.Equal(Units.Significant(comparison.Predicted["median_ttft_ms"]), rows["median_ttft_ms"][2]);
        Assert.Equal(Units.Significant(comparison.Bound["median_ttft_ms"]), rows["median_ttft_ms"][3]);
        Assert.Contains("Benchmark latencies: measured, predicted (replay) and bound", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_without_a_measured_input_has_no_measured_section_and_tables_take_only_the_four_comparisons()
    {
        var (code, html, _) = Report("llama-3.1-8b");

        Assert.Equal(0, code);
        Assert.DoesNotContain("Measured beside predicted", html, StringComparison.Ordinal);
        var foreign = new ForeignComparison();
        Assert.Throws<ArgumentException>(() => Rendering.Tables.Measured(foreign));
        Assert.Throws<ArgumentException>(() => Rendering.Tables.MeasuredHeading(foreign));
    }

    private sealed class ForeignComparison : PerfNotebooks.Measured.IMeasuredComparison;

    [Fact]
    public void Report_with_two_measured_inputs_gets_one_line()
    {
        var (code, html, error) = Report("llama-3.1-8b", "--log", Fixture("vllm-serve-dp2.log"), "--bench", Fixture("vllm-bench-serve.json"));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Empty(html);
        Assert.Equal("perfnb report: give exactly one of --log FILE, --metrics SCRAPE[,SCRAPE2], --bench FILE or --trace FILE\n", error);
    }

    [GeneratedRegex("<tr[^>]*>.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex RowPattern();

    [GeneratedRegex("<t[dh][^>]*>(.*?)</t[dh]>", RegexOptions.Singleline)]
    private static partial Regex CellPattern();
}

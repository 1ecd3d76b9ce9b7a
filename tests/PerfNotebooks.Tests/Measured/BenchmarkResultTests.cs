using PerfNotebooks.Measured;

namespace PerfNotebooks.Tests.Measured;

public class BenchmarkResultTests
{
    [Fact]
    public void Vllm_bench_serve_result_reads_its_own_field_names_and_lists()
    {
        var r = BenchmarkResult.Load(Path.Combine(Paths.MeasuredFixtures, "vllm-bench-serve.json"));
        Assert.Equal("vllm bench serve", r.Format);
        Assert.Equal(32, r.Completed);
        Assert.Equal(48.0, r.Get("median_ttft_ms"));
        Assert.Equal(70.0, r.Get("p99_ttft_ms"));
        Assert.Equal(1024.0, r.Get("output_throughput"));
        Assert.Equal(8L, r.MaxConcurrency);
        Assert.Equal(1024.0, r.MeanInputTokens);
        Assert.Equal(128.0, r.MeanOutputTokens);
        Assert.Null(r.Get("request_rate")); // "inf" is a string in the file
    }

    [Fact]
    public void Aiperf_export_is_renamed_to_bench_serve_fields()
    {
        var r = BenchmarkResult.Load(Path.Combine(Paths.MeasuredFixtures, "aiperf-profile-export.json"));
        Assert.Equal("aiperf", r.Format);
        Assert.Equal(50.0, r.Get("mean_ttft_ms"));
        Assert.Equal(48.0, r.Get("median_ttft_ms"));
        Assert.Equal(7.3, r.Get("median_itl_ms"));
        Assert.Equal(1050.0, r.Get("p99_e2el_ms"));
        Assert.Equal(1024.0, r.Get("output_throughput"));
        Assert.Equal(32, r.Completed);
        Assert.Equal(8L, r.MaxConcurrency);
        Assert.Equal(128.0, r.MeanOutputTokens);
    }

    [Theory]
    [InlineData("{\"completed\": 3", "not a JSON benchmark result")]
    [InlineData("[1, 2]", "a benchmark result is a JSON object, not Array")]
    [InlineData("{\"foo\": 1}", "neither a vllm bench serve result")]
    public void A_file_that_is_not_a_result_is_one_line_naming_it(string json, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => BenchmarkResult.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)), "r.json"));
        Assert.StartsWith("r.json: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }
}

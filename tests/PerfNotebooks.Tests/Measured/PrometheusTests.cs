using PerfNotebooks.Measured;

namespace PerfNotebooks.Tests.Measured;

public class PrometheusTests
{
    private const string Engine0 = "{engine=\"0\",model_name=\"meta-llama/Llama-3.1-8B-Instruct\"}";
    private const string Engine1 = "{engine=\"1\",model_name=\"meta-llama/Llama-3.1-8B-Instruct\"}";

    private static PrometheusScrape Scrape(int n) => PrometheusScrape.Load(Path.Combine(Paths.MeasuredFixtures, $"metrics-{n}.prom"));

    [Fact]
    public void Two_scrapes_give_rates_over_the_interval()
    {
        var w = MetricsWindow.From(Scrape(1), Scrape(2), intervalSeconds: 10);
        // Counter deltas over 10 s: prompt 20,480, generation 2,560, FLOPs 1.5e15, read 2e13 B, write 1e12 B.
        Assert.Equal(2048, w.Get("prompt_tokens_per_s", Engine0)!.Value, 9);
        Assert.Equal(256, w.Get("generation_tokens_per_s", Engine0)!.Value, 9);
        Assert.Equal(150, w.Get("teraflops_per_s_per_gpu", Engine0)!.Value, 9);
        Assert.Equal(2000, w.Get("read_gigabytes_per_s_per_gpu", Engine0)!.Value, 9);
        Assert.Equal(100, w.Get("write_gigabytes_per_s_per_gpu", Engine0)!.Value, 9);
        Assert.Equal(500, w.Get("prompt_tokens_per_s", Engine1)!.Value, 9);
    }

    [Fact]
    public void Histogram_percentiles_come_from_the_bucket_deltas()
    {
        var w = MetricsWindow.From(Scrape(1), Scrape(2), intervalSeconds: 10);
        // TTFT deltas: 2 in (0.02, 0.04], 4 in (0.04, 0.06], 2 in (0.06, 0.08], 2 in (0.08, 0.1]; sum 0.6 s over 10.
        // Median: rank 5 → 0.04 + 0.02·(5 − 2)/(6 − 2) = 0.055 s; p90: rank 9 → 0.08 + 0.02·(9 − 8)/2 = 0.09 s.
        Assert.Equal(55, w.Get("median_ttft_ms", Engine0)!.Value, 9);
        Assert.Equal(90, w.Get("p90_ttft_ms", Engine0)!.Value, 9);
        Assert.Equal(99, w.Get("p99_ttft_ms", Engine0)!.Value, 9);
        Assert.Equal(60, w.Get("mean_ttft_ms", Engine0)!.Value, 9);

        // ITL: 1,270 in (0.01, 0.025], 1,270 in (0.025, 0.05]; median 0.025 s, p90 rank 2,286 → 0.025 + 0.025·1016/1270 = 0.045 s.
        Assert.Equal(25, w.Get("median_itl_ms", Engine0)!.Value, 9);
        Assert.Equal(45, w.Get("p90_itl_ms", Engine0)!.Value, 9);
        Assert.Equal(20, w.Get("mean_itl_ms", Engine0)!.Value, 9);

        // Iteration tokens: 1,280 steps, 23,040 tokens.
        Assert.Equal(18, w.Get("mean_tokens_per_step", Engine0)!.Value, 9);
        Assert.Equal(128, w.Get("steps_per_s", Engine0)!.Value, 9);
    }

    [Fact]
    public void Gauges_come_from_the_later_scrape_per_engine()
    {
        var w = MetricsWindow.From(Scrape(1), Scrape(2), intervalSeconds: 10);
        Assert.Equal(25, w.Get("kv_cache_usage_perc", Engine0)!.Value, 9);
        Assert.Equal(16, w.Get("running", Engine0));
        Assert.Equal(2, w.Get("waiting", Engine0));
        Assert.Equal(4, w.Get("running", Engine1));
        Assert.Equal([Engine0, Engine1], w.Series.AsEnumerable());
    }

    [Fact]
    public void Unknown_metrics_are_skipped_once_each_by_name()
    {
        var w = MetricsWindow.From(Scrape(1), Scrape(2), intervalSeconds: 10);
        Assert.Equal(
            ["python_gc_objects_collected_total", "process_resident_memory_bytes", "vllm:cache_config_info"],
            w.Skipped.Select(s => s.Reason.Split('\'')[1]));
    }

    [Fact]
    public void One_scrape_without_an_interval_gives_totals_and_says_why_not_rates()
    {
        var w = MetricsWindow.From(Scrape(2));
        Assert.Equal(21480, w.Get("prompt_tokens_total", Engine0));
        Assert.Null(w.Get("prompt_tokens_per_s", Engine0));
        Assert.Contains(w.Skipped, s => s.Reason.StartsWith("no interval", StringComparison.Ordinal));
    }

    [Fact]
    public void A_counter_that_went_down_is_a_restart_not_a_negative_rate()
    {
        var w = MetricsWindow.From(Scrape(2), Scrape(1), intervalSeconds: 10);
        Assert.Null(w.Get("prompt_tokens_per_s", Engine0));
        Assert.Contains(w.Skipped, s => s.Reason.Contains("went down between the scrapes", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("vllm:num_requests_running{engine=\"0\" 3", "labels cut short")]
    [InlineData("vllm:num_requests_running{engine=\"0} 3", "label 'engine' cut short")]
    [InlineData("vllm:num_requests_running{engine=\"0\"}", "no value")]
    [InlineData("vllm:num_requests_running 3 12x", "timestamp '12x' is not an integer")]
    public void Malformed_sample_lines_are_skipped_with_the_metric_named(string line, string reason)
    {
        var scrape = PrometheusScrape.Read(new StringReader("# TYPE x gauge\n" + line + "\nvllm:num_requests_waiting 1\n"), "s.prom");
        Assert.Single(scrape.Samples);
        var skipped = Assert.Single(scrape.Skipped);
        Assert.Equal(2, skipped.Line);
        Assert.Contains(reason, skipped.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Labels_with_escapes_and_special_values_read()
    {
        var s = PrometheusScrape.Read(new StringReader("m{a=\"x\\\"y\",le=\"+Inf\"} +Inf 1700000000000\nn NaN\n"));
        Assert.Equal("x\"y", s.Samples[0].Label("a"));
        Assert.Equal(double.PositiveInfinity, s.Samples[0].Value);
        Assert.Equal(1700000000000, s.TimestampMilliseconds);
        Assert.True(double.IsNaN(s.Samples[1].Value));
    }

    [Fact]
    public void Quantile_in_the_inf_bucket_is_the_highest_finite_edge()
    {
        Assert.Equal(2.0, MetricsWindow.Quantile(0.99, [(1.0, 5), (2.0, 6), (double.PositiveInfinity, 10)]));
        Assert.True(double.IsNaN(MetricsWindow.Quantile(0.5, [(1.0, 0), (double.PositiveInfinity, 0)])));
    }
}

using PerfNotebooks.Measured;

namespace PerfNotebooks.Tests.Measured;

public class ServerLogTests
{
    private static ServerLog Fixture() => ServerLog.Load(Path.Combine(Paths.MeasuredFixtures, "vllm-serve-dp2.log"));

    [Fact]
    public void Iteration_lines_of_both_formats_are_read_with_their_engine()
    {
        var log = Fixture();
        Assert.Equal(9, log.Steps.Length);
        Assert.Equal(new MeasuredStep(0, "0", 1, 2048, 0, 0, 96.25, Line: 3), log.Steps[0]);
        Assert.Equal(new MeasuredStep(0, "1", 2, 1024, 0, 0, 52.50, Line: 4), log.Steps[1]);
        Assert.True(log.Steps[3].IsDummy);
        Assert.Equal("1", log.Steps[3].Engine);

        // The frontend logger's format: "Engine 001: Iteration(3): …, GPU KV cache usage: 0.2%".
        var frontend = log.Steps[^1];
        Assert.Equal(("1", 3L, 1L, 256L, 1L, 1L, 12.40, 0.2), (frontend.Engine, frontend.Iteration, frontend.PrefillRequests, frontend.PrefillTokens,
            frontend.DecodeRequests, frontend.DecodeTokens, frontend.ElapsedMilliseconds, frontend.KvCacheUsagePercent!.Value));
    }

    [Theory]
    [InlineData("(EngineCore_DP0 pid=1) INFO 12-02 10:00:00 [core.py:1] Iteration(3")]
    [InlineData("(EngineCore_DP0 pid=1) INFO 12-02 10:00:00 [core.py:1] Iteration(")]
    [InlineData("(EngineCore_DP0 pid=1) INFO 12-02 10:00:00 [core.py:1] Iteration(3): ")]
    public void An_iteration_line_cut_before_its_first_count_is_listed_as_skipped(string line)
    {
        var log = ServerLog.Read(new StringReader("some foreign line\n" + line + "\n"), "cut.log");

        Assert.Empty(log.Steps);
        var skipped = Assert.Single(log.Skipped);
        Assert.Equal(2, skipped.Line);
        Assert.StartsWith("iteration line cut short", skipped.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Engines_are_kept_apart_and_each_counts_its_own_iterations()
    {
        var log = Fixture();
        Assert.Equal(["0", "1"], log.Engines.AsEnumerable());
        Assert.Equal([0L, 1, 2, 4, 5], log.Steps.Where(s => s.Engine == "0").Select(s => s.Iteration));
        Assert.Equal([0L, 1, 2, 3], log.Steps.Where(s => s.Engine == "1").Select(s => s.Iteration));
    }

    [Fact]
    public void Lines_cut_short_are_reported_with_their_line_and_foreign_lines_ignored()
    {
        var log = Fixture();
        Assert.Equal([10L, 14L, log.Lines], log.Skipped.Select(s => s.Line));
        Assert.All(log.Skipped, s => Assert.Contains("cut short", s.Reason, StringComparison.Ordinal));
        Assert.StartsWith("iteration line", log.Skipped[0].Reason, StringComparison.Ordinal);
        Assert.StartsWith("stats line", log.Skipped[1].Reason, StringComparison.Ordinal);
        Assert.StartsWith("MFU line", log.Skipped[2].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Stats_lines_give_throughput_queue_and_cache_per_engine()
    {
        var log = Fixture();
        Assert.Equal(2, log.Stats.Length);
        Assert.Equal(new StatsLine("0", 512.0, 1.2, 2, 0, 0.3, 0.0, 12), log.Stats[0]);
        Assert.Equal(new StatsLine("1", 204.8, 0.8, 2, 1, 0.1, 50.0, 13), log.Stats[1]);
    }

    [Fact]
    public void Mfu_lines_of_both_spellings_are_read_with_the_multi_line_details()
    {
        var log = Fixture();
        Assert.Equal(2, log.Mfu.Length);
        var gpu = log.Mfu[0];
        Assert.Equal(("0", 44.3, 19.2, "GPU"), (gpu.Engine, gpu.TeraflopsPerSecondPerGpu, gpu.GigabytesPerSecondPerGpu, gpu.Unit));

        // The golden details (pub-step-0012): 2 prefills over a 5.0 s window.
        Assert.NotNull(gpu.Details);
        Assert.Equal(2, gpu.Details!["prefill_reqs"]!.GetValue<int>());
        Assert.Equal(7470, gpu.Details["context_breakdown"]!["prefill_num_tokens"]!.GetValue<int>());
        Assert.Equal(5.0, gpu.DurationSeconds);

        var device = log.Mfu[1];
        Assert.Equal(("1", 15.8, 25.5, "device"), (device.Engine, device.TeraflopsPerSecondPerGpu, device.GigabytesPerSecondPerGpu, device.Unit));
        Assert.Null(device.Details);
    }

    [Fact]
    public void Details_cut_short_at_the_end_of_the_log_are_reported_not_guessed()
    {
        var text = "MFU: 1.0 TF/s/GPU 2.0 GB/s/GPU\nMFU details: {\n  \"prefill_reqs\": 2,\n  \"decode";
        var log = ServerLog.Read(new StringReader(text), "cut.log");
        Assert.Single(log.Mfu);
        Assert.Null(log.Mfu[0].Details);
        Assert.Equal("cut.log:2: MFU details cut short (not a whole JSON object)", log.Skipped.Single().ToString());
    }

    [Theory]
    [InlineData("Iteration(7): 2 context requests, 128 context tokens, 3 generation requests, 24 generation tokens, iteration elapsed time: 1.25 ms, GPU KV cache usage: 95.0%", 24L, 1.25)]
    [InlineData("INFO EngineCore_DP0 Iteration(0): 1 context requests, 100 context tokens, 0 generation requests, 0 generation tokens, iteration elapsed time: 100.00 ms", 0L, 100.0)]
    public void Iteration_lines_as_other_tools_quote_them_read(string line, long decodeTokens, double ms)
    {
        var step = ServerLog.Read(new StringReader(line)).Steps.Single();
        Assert.Equal((decodeTokens, ms, "0"), (step.DecodeTokens, step.ElapsedMilliseconds, step.Engine));
    }

    [Fact]
    public void Step_batch_splits_prefill_tokens_over_requests_and_decodes_attend_to_the_given_context()
    {
        // 2 prefills of 1,025 tokens: 512 + 513; 3 decodes at 4,096 tokens of context.
        var batch = new MeasuredStep(0, "0", 2, 1025, 3, 3, 10).ToBatch(4096);
        Assert.Equal((2L, 1025L, 3L, 3L, 3L * 4096), (batch.PrefillRequests, batch.PrefillTokens, batch.DecodeRequests, batch.DecodeTokens, batch.DecodeContextLength));
    }
}

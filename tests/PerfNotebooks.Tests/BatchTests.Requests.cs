using PerfNotebooks.Vllm.Stats;

namespace PerfNotebooks.Tests;

public partial class BatchTests
{
    [Fact]
    public void Requests_are_listed_in_the_order_added()
    {
        var batch = Batch.Prefill(100).WithDecodes(2, contextLength: 50).WithPrefill(10, 30);

        Assert.Equal(
            [new BatchRequest(100, 100, true), new BatchRequest(1, 50, false), new BatchRequest(1, 50, false), new BatchRequest(10, 30, true)],
            batch.Requests);
    }

    [Fact]
    public void Windowed_sums_clamp_each_context_to_the_window()
    {
        // Prefill 100 tokens at context 100, prefill 10 at 30, decodes at 50 and 200; window 64.
        var batch = Batch.Prefill(100).WithPrefill(10, 30).WithDecodes(1, 50).WithDecodes(1, 200);

        Assert.Equal((Int128)((100 * 64) + (10 * 30) + 50 + 64), batch.WindowedTokenContextProduct(64));
        Assert.Equal(64 + 30, batch.WindowedContextLength(64, prefill: true));
        Assert.Equal(50 + 64, batch.WindowedContextLength(64, prefill: false));
    }

    [Fact]
    public void Logits_tokens_are_one_per_prefill_request_and_every_decode_token()
    {
        var batch = Batch.Prefill(2048).WithPrefill(0, 10).WithDecodes(3, contextLength: 100, tokensEach: 4);

        Assert.Equal(2 + 12, batch.LogitsTokens);
    }

    [Fact]
    public void A_million_identical_requests_are_one_run_and_windowed_in_constant_time()
    {
        var batch = Batch.Decodes(1_000_000, 8192);

        Assert.Equal((Int128)1_000_000 * 4096, batch.WindowedTokenContextProduct(4096));
        Assert.True(batch.HasRequests);
    }

    [Fact]
    public void A_batch_from_sums_alone_says_it_cannot_clamp_to_a_window()
    {
        var batch = SchedulerStep.FromCounts([(512, 0)], [(1, 99)]).ToContext();

        Assert.False(batch.HasRequests);
        var error = Assert.Throws<InvalidOperationException>(() => batch.WindowedTokenContextProduct(64));
        Assert.Contains("without its requests", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scheduler_step_with_requests_equals_the_same_requests_added()
    {
        var step = SchedulerStep.FromCounts([(512, 0)], [(1, 99), (0, 5), (7, 10)]);

        Assert.Equal(Batch.Prefill(512).Add(1, 100, isPrefill: false).Add(7, 17, isPrefill: true), step.ToBatchWithRequests());
    }
}

using PerfNotebooks.Analysis;
using PerfNotebooks.Catalog;
using PerfNotebooks.Configuration;
using PerfNotebooks.Physical;

namespace PerfNotebooks.Tests;

public class ServingSimulatorTests
{
    private static readonly GpuSpec H100 = GpuCatalog.Find("H100-SXM");

    private static ModelSource Source(string name, EngineSettings? engine = null) =>
        ModelSource.Resolve(ModelCatalog.Find(name).Load(), engine);

    [Fact]
    public void Static_batch_is_one_prefill_then_decode_steps_with_growing_context()
    {
        var source = Source("llama-3.1-8b");
        var result = ServingSimulator.Run(ServeRequest.StaticBatch(source, H100, 8, 32, 128));
        var steps = new StepModel(PhysicalModel.From(source), H100);

        var ttft = steps.Estimate(Batch.Empty.WithPrefills(8, 32)).ExpectedSeconds;
        var decodes = Enumerable.Range(1, 127).Sum(k => steps.Estimate(Batch.Decodes(8, 32 + k)).ExpectedSeconds);
        Assert.Equal(128, result.Steps);
        Assert.Equal(ttft, result.Expected!.TimeToFirstTokenSeconds, 12);
        Assert.Equal(ttft + decodes, result.Expected.EndToEndSeconds, 9);
        Assert.Equal(decodes / 127, result.Expected.InterTokenLatencySeconds, 12);
        Assert.Equal(8 * 128 / (ttft + decodes), result.Expected.OutputTokensPerSecondPerReplica, 6);
        Assert.True(result.Bound!.EndToEndSeconds < result.Expected.EndToEndSeconds);
        Assert.Empty(result.Notes);
    }

    [Fact]
    public void Pipeline_time_per_output_token_is_every_stage_plus_the_transfers()
    {
        var pp1 = Analysis.Serving.Scenario(Models.Catalog("llama-3.1-70b", new EngineSettings { TensorParallel = 4 }), H100, 8192, 16, 64);
        var pp2 = Analysis.Serving.Scenario(Models.Catalog("llama-3.1-70b", new EngineSettings { TensorParallel = 4, PipelineParallel = 2 }), H100, 8192, 16, 64);

        var transfer = LinkModel.NcclLatencySeconds + (64.0 * 8192 * 2 * 2 / (H100.InterconnectBytesPerSecond / 2));
        Assert.Equal(pp1.TimePerOutputTokenSeconds + transfer, pp2.TimePerOutputTokenSeconds, 12);
        Assert.Equal(pp1.OutputTokensPerSecondPerGpu / 2, pp2.OutputTokensPerSecondPerGpu, 0.05 * pp2.OutputTokensPerSecondPerGpu);
        Assert.True(pp2.Bound!.TimePerOutputTokenSeconds < pp2.TimePerOutputTokenSeconds);
    }

    [Fact]
    public void Long_prompts_are_chunked_by_the_token_budget()
    {
        var source = Source("llama-3.1-8b");
        var request = ServeRequest.StaticBatch(source, H100, 1, 10_000, 2) with { MaxNumBatchedTokens = 4096 };
        var result = ServingSimulator.Run(request);

        Assert.Equal(4, result.Steps);   // 4096 + 4096 + 1808 prompt tokens, then one decode
        Assert.Contains(result.Notes, n => n.Contains("chunks of at most 4096", StringComparison.Ordinal));
    }

    [Fact]
    public void Concurrency_beyond_the_kv_cache_is_capped_and_said()
    {
        var source = Source("llama-3.1-70b", new EngineSettings { TensorParallel = 4, DataParallel = 2 });
        var result = ServingSimulator.Run(ServeRequest.ClosedLoop(source, H100, 200, 4096, 4096) with { MaxNumBatchedTokens = 8192 });

        // 54 sequences of 8192 tokens fit per GPU (see the memory plan); 100 per DP replica are asked for.
        Assert.Equal(54, result.RunningLimit);
        Assert.Contains(result.Notes, n => n.Contains("holds 54 sequences", StringComparison.Ordinal) && n.Contains("queues the rest", StringComparison.Ordinal));
        Assert.True(result.Expected!.TimeToFirstTokenSeconds > result.Expected.InterTokenLatencySeconds * 100);   // queueing shows in TTFT
    }

    [Fact]
    public void A_model_that_does_not_fit_gives_no_figures_and_says_why()
    {
        var result = ServingSimulator.Run(ServeRequest.StaticBatch(Source("llama-3.1-405b"), H100, 1, 128, 128));

        Assert.False(result.Fits);
        Assert.Null(result.Expected);
        Assert.Contains("does not fit", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Closed_loop_at_concurrency_one_matches_a_static_batch_of_one()
    {
        var source = Source("llama-3.1-8b");
        var closed = ServingSimulator.Run(ServeRequest.ClosedLoop(source, H100, 1, 1000, 100));
        var single = ServingSimulator.Run(ServeRequest.StaticBatch(source, H100, 1, 1000, 100));

        Assert.Equal(single.Expected!.TimeToFirstTokenSeconds, closed.Expected!.TimeToFirstTokenSeconds, 12);
        Assert.Equal(single.Expected.InterTokenLatencySeconds, closed.Expected.InterTokenLatencySeconds, 12);
        Assert.Equal(single.Expected.EndToEndSeconds, closed.Expected.EndToEndSeconds, 12);
    }

    [Fact]
    public void Closed_loop_mixes_new_prefills_into_running_decodes()
    {
        var source = Source("llama-3.1-8b");
        var closed = ServingSimulator.Run(ServeRequest.ClosedLoop(source, H100, 32, 2000, 200));
        var staticBatch = ServingSimulator.Run(ServeRequest.StaticBatch(source, H100, 32, 2000, 200));

        // Steady state: prefills of arriving prompts share steps with decodes, so tokens are slower to follow each
        // other than in a static batch whose decodes run alone, and a new request waits for less than a full batch prefill.
        Assert.True(closed.Expected!.InterTokenLatencySeconds > staticBatch.Expected!.InterTokenLatencySeconds);
        Assert.True(closed.Expected.TimeToFirstTokenSeconds < staticBatch.Expected.TimeToFirstTokenSeconds);
        Assert.InRange(closed.Expected.OutputTokensPerSecondPerReplica, 0.5 * staticBatch.Expected.OutputTokensPerSecondPerReplica, 1.5 * staticBatch.Expected.OutputTokensPerSecondPerReplica);
    }

    [Fact]
    public void Result_text_shows_expected_and_bound_side_by_side()
    {
        var text = ServingSimulator.Run(ServeRequest.StaticBatch(Source("llama-3.1-8b"), H100, 8, 32, 128)).ToString();

        Assert.Contains("expected", text, StringComparison.Ordinal);
        Assert.Contains("bound", text, StringComparison.Ordinal);
        Assert.Contains("TTFT", text, StringComparison.Ordinal);
        Assert.Contains("tok/s per GPU", text, StringComparison.Ordinal);
    }
}

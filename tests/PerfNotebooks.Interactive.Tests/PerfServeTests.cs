using PerfNotebooks.Hardware;
using PerfNotebooks.Serving;

namespace PerfNotebooks.Interactive.Tests;

public class PerfServeTests
{
    [Fact]
    public void Serve_line_gives_the_library_simulation_of_the_session_model_and_gpu()
    {
        var magic = PerfMagic.Reset();
        magic.Run("model llama-3.1-8b --tp 2");
        magic.Run("gpu H100-SXM");

        var result = magic.Run("serve --input-len 1024 --output-len 64 --concurrency 8 --max-num-batched-tokens 512").Serve;

        var source = PerfModel.Load("llama-3.1-8b", new EngineSettings { TensorParallel = 2 }).Source;
        var expected = ServeSimulator.Run(ServeBenchmark.Aiperf(source, GpuCatalog.Find("H100-SXM"), 8, 1024, 64) with { Server = new ServerSettings { MaxNumBatchedTokens = 512 } });
        Assert.Equal(expected.Expected, result.Expected);
        Assert.Equal(expected.Bound, result.Bound);
        Assert.Contains(result.Notes, n => n.Contains("chunks of at most 512 tokens", StringComparison.Ordinal));
        Assert.True(result.Bound!.Ttft.MeanSeconds <= result.Expected!.Ttft.MeanSeconds);
    }

    [Fact]
    public void Serve_line_takes_vllm_bench_serves_length_flags()
    {
        var magic = PerfMagic.Reset();
        magic.Run("model llama-3.1-8b");

        var benchServe = magic.Run("serve --random-input-len 512 --random-output-len 32 --num-prompts 40").Serve;
        var canonical = magic.Run("serve --input-len 512 --output-len 32 --num-prompts 40").Serve;

        Assert.Equal(40 * 512, benchServe.Expected!.TotalInputTokens);
        Assert.Equal(canonical.Expected, benchServe.Expected);
    }

    [Fact]
    public void Serve_line_takes_goodput_pairs_as_vllm_bench_serve_does()
    {
        var magic = PerfMagic.Reset();
        magic.Run("model llama-3.1-8b");

        var spaced = magic.Run("serve --num-prompts 40 --goodput ttft:300 tpot:20 --output-len 32").Serve;
        var comma = magic.Run("serve --num-prompts 40 --goodput ttft:300,tpot:20 --output-len 32").Serve;

        Assert.Equal(new GoodputSlo { TtftSeconds = 0.3, TpotSeconds = 0.02 }, ((BenchServeClient)spaced.Benchmark.Client).Goodput);
        Assert.Equal(comma.Expected, spaced.Expected);
        Assert.NotNull(spaced.Expected!.RequestGoodput);
    }

    [Fact]
    public void Serve_html_shows_the_table_with_expected_and_bound()
    {
        var magic = PerfMagic.Reset();
        magic.Run("model llama-3.1-8b");

        var html = NotebookHtml.Render(magic.Run("serve --input-len 512 --output-len 32 --batch 4"));

        Assert.Contains("static batch 4, 512 in, 32 out", html, StringComparison.Ordinal);
        Assert.Contains("mean TTFT", html, StringComparison.Ordinal);
        Assert.Contains("P99 TPOT", html, StringComparison.Ordinal);
        Assert.Contains("preemptions", html, StringComparison.Ordinal);
        Assert.Contains("bound", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_with_both_batch_and_concurrency_gets_one_message()
    {
        var magic = PerfMagic.Reset();
        magic.Run("model llama-3.1-8b");

        var error = Assert.Throws<PerfMagicException>(() => magic.Run("serve --batch 2 --concurrency 4"));

        Assert.Equal("#!perf serve: give at most one of --batch N (static batch) and --concurrency N (aiperf concurrency mode)", error.Message);
    }

    [Fact]
    public void Serve_without_a_client_runs_vllm_bench_serve()
    {
        var magic = PerfMagic.Reset();
        magic.Run("model llama-3.1-8b");

        var result = magic.Run("serve --num-prompts 100 --request-rate 5 --input-len 512 --output-len 32").Serve;

        Assert.IsType<BenchServeClient>(result.Benchmark.Client);
        Assert.Equal(100, result.Expected!.Completed);
    }
}

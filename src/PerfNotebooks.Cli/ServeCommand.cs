using System.CommandLine;
using System.Text.Json;
using PerfNotebooks.Physical;
using PerfNotebooks.Rendering;
using PerfNotebooks.Requests;
using PerfNotebooks.Serving;
namespace PerfNotebooks.Cli;

/// <summary><c>perfnb serve</c>: a serving benchmark simulated step by step — <c>vllm bench serve</c> by default,
/// aiperf's concurrency mode (<c>--concurrency</c>) or a static batch (<c>--batch</c>) — printed as vllm bench serve
/// prints it, expected beside the roofline bound, with the engine over time.</summary>
internal static class ServeCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var command = new Command("serve", "a serving benchmark simulated step by step: vllm bench serve (--num-prompts, --request-rate, --max-concurrency), " +
                                           "aiperf's concurrency mode (--concurrency) or a static batch (--batch); TTFT, TPOT, ITL and E2EL percentiles, " +
                                           "throughputs and goodput, expected and as roofline bound; --json with vllm bench serve's field names");
        command.Arguments.Add(CliOptions.Model);
        CliCommands.AddAll(command, CliOptions.Engine, [CliOptions.GpuName], CliOptions.Serve, [CliOptions.Json]);
        CliCommands.SetAction(command, Run);
        return command;
    }

    private static int Run(ParseResult parse, Terminal terminal)
    {
        var values = CliOptions.Values(parse);
        var name = parse.GetValue(CliOptions.Model)!;
        var gpu = RequestOptions.ReadGpu(values).Gpu;
        ServeBenchmark benchmark;
        try
        {
            benchmark = RequestOptions.ReadServe(values, PerfModel.Load(name, RequestOptions.ReadEngine(values)).Source, gpu);
        }
        catch (ArgumentException e) when (e is not ArgumentOutOfRangeException)
        {
            throw new CliException("perfnb serve: " + e.Message);
        }

        var result = ServeSimulator.Run(benchmark);
        if (parse.GetValue(CliOptions.Json))
        {
            CliJson.Write(terminal.Output, w => WriteJson(w, name, result));
            return 0;
        }

        terminal.Line($"{name} on {gpu.Name} | {Tables.Layout(benchmark.Source.Engine)} | " + Describe(benchmark));
        terminal.Line();
        terminal.Table(Tables.Serve(result));
        if (result.Fits)
        {
            terminal.Line();
            terminal.Table(Tables.ServeTimeline(result));
        }

        return 0;
    }

    /// <summary>What was simulated, in words: <c>vllm bench serve, 1000 prompts at 10 req/s (Poisson), 1024 in, 128 out</c>.</summary>
    public static string Describe(ServeBenchmark benchmark)
    {
        ArgumentNullException.ThrowIfNull(benchmark);
        return benchmark.Client.ToString();
    }

    // vllm bench serve's result fields (vllm/benchmarks/serve.py `benchmark`, `process_one_metric`), milliseconds
    // for latencies, plus the same figures at the roofline bound under "bound" and what was simulated.
    private static void WriteJson(Utf8JsonWriter w, string name, ServeBenchmarkResult result)
    {
        var r = result.Benchmark;
        w.WriteStartObject();
        w.WriteString("model", name);
        w.WriteString("gpu", r.Gpu.Name);
        w.WriteString("layout", Tables.Layout(r.Source.Engine));
        w.WriteString("client", r.Client.Describe());
        switch (r.Client)
        {
            case BenchServeClient b:
                w.WriteString("backend", "vllm bench serve");
                w.WriteNumber("num_prompts", b.NumPrompts);
                if (double.IsPositiveInfinity(b.RequestRate))
                {
                    w.WriteString("request_rate", "inf");
                }
                else
                {
                    CliJson.Real(w, "request_rate", b.RequestRate);
                }

                CliJson.Real(w, "burstiness", b.Burstiness);
                if (b.MaxConcurrency is { } mc)
                {
                    w.WriteNumber("max_concurrency", mc);
                }
                else
                {
                    w.WriteNull("max_concurrency");
                }

                break;
            case AiperfClient a:
                w.WriteString("backend", "aiperf");
                w.WriteNumber("concurrency", a.Concurrency);
                w.WriteNumber("request_count", a.NumRequests);
                w.WriteNumber("warmup_request_count", a.WarmupRequests);
                break;
            case StaticBatchClient s:
                w.WriteString("backend", "static batch");
                w.WriteNumber("batch", s.Batch);
                break;
        }

        w.WriteNumber("random_input_len", r.Client.Dataset.InputLen);
        w.WriteNumber("random_output_len", r.Client.Dataset.OutputLen);
        CliJson.Real(w, "random_range_ratio", r.Client.Dataset.RangeRatio);
        w.WriteNumber("seed", r.Client.Seed);
        w.WriteBoolean("fits", result.Fits);
        Metrics(w, result.Expected);
        w.WritePropertyName("bound");
        w.WriteStartObject();
        Metrics(w, result.Bound);
        w.WriteEndObject();
        w.WriteNumber("max_num_batched_tokens", result.Limits.MaxNumBatchedTokens);
        w.WriteNumber("max_num_seqs", result.Limits.MaxNumSeqs);
        w.WriteNumber("block_size", result.Limits.BlockSize);
        w.WriteNumber("num_gpu_blocks", result.Limits.KvBlocks);
        w.WriteNumber("steps", result.Steps);
        w.WriteNumber("num_preemptions", result.Preemptions);
        w.WriteString("timer", result.TimerSource.DisplayName());
        w.WriteStartArray("notes");
        foreach (var note in result.Notes)
        {
            w.WriteStringValue(note);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Metrics(Utf8JsonWriter w, BenchmarkMetrics? m)
    {
        if (m is null)
        {
            w.WriteNull("completed");
            return;
        }

        CliJson.Real(w, "duration", m.DurationSeconds);
        w.WriteNumber("completed", m.Completed);
        w.WriteNumber("failed", 0);
        w.WriteNumber("total_input_tokens", m.TotalInputTokens);
        w.WriteNumber("total_output_tokens", m.TotalOutputTokens);
        CliJson.Real(w, "request_throughput", m.RequestThroughput);
        if (m.RequestGoodput is { } g)
        {
            CliJson.Real(w, "request_goodput", g);
        }
        else
        {
            w.WriteNull("request_goodput");
        }

        CliJson.Real(w, "output_throughput", m.OutputThroughput);
        CliJson.Real(w, "total_token_throughput", m.TotalTokenThroughput);
        CliJson.Real(w, "max_output_tokens_per_s", m.MaxOutputTokensPerSecond);
        w.WriteNumber("max_concurrent_requests", m.MaxConcurrentRequests);
        foreach (var (key, s) in new[] { ("ttft", m.Ttft), ("tpot", m.Tpot), ("itl", m.Itl), ("e2el", m.E2el) })
        {
            CliJson.Real(w, $"mean_{key}_ms", s.MeanSeconds * 1e3);
            CliJson.Real(w, $"median_{key}_ms", s.MedianSeconds * 1e3);
            CliJson.Real(w, $"std_{key}_ms", s.StdSeconds * 1e3);
            CliJson.Real(w, $"p90_{key}_ms", s.P90Seconds * 1e3);
            CliJson.Real(w, $"p99_{key}_ms", s.P99Seconds * 1e3);
        }
    }
}

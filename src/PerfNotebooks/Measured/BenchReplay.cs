using System.Collections.Immutable;
using System.Globalization;
using PerfNotebooks.Hardware;
using PerfNotebooks.Models;
using PerfNotebooks.Physical;
using PerfNotebooks.Serving;
namespace PerfNotebooks.Measured;

/// <summary>
/// Replays a benchmark's client settings through the serving simulator (<see cref="ServeSimulator"/>). The one place
/// that knows how a result's settings map onto a <see cref="LoadClient"/>: <c>vllm bench serve</c>'s prompts, request
/// rate, burstiness and <c>--max-concurrency</c>, or aiperf's concurrency and request count, with the mean prompt and
/// output lengths as a fixed-length random dataset.
/// </summary>
internal static class BenchReplay
{
    public static (ServeBenchmarkResult Result, ImmutableArray<string> Notes) Run(BenchmarkResult result, ModelSource source, GpuSpec gpu, IKernelTimer? timer)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(gpu);
        var notes = ImmutableArray.CreateBuilder<string>();
        var input = (long)Math.Round(result.MeanInputTokens ?? 0);
        var output = (long)Math.Round(result.MeanOutputTokens ?? 0);
        if (input <= 0 || output <= 0)
        {
            throw new InvalidDataException($"{result.Source}: no input and output lengths (input_lens/output_lens, total_input_tokens/total_output_tokens with completed, or input/output_sequence_length)");
        }

        var completed = Math.Max(1, result.Completed);
        var dataset = RandomDataset.Fixed(input, output);
        LoadClient client = result.Format == "aiperf"
            ? new AiperfClient { Concurrency = Math.Min(result.MaxConcurrency ?? completed, completed), NumRequests = completed, Dataset = dataset }
            : new BenchServeClient
            {
                NumPrompts = (long)(result.Get("num_prompts") ?? completed),
                MaxConcurrency = result.MaxConcurrency,
                RequestRate = result.RequestRate,
                Burstiness = result.Get("burstiness") is { } b && b > 0 ? b : 1,
                Dataset = dataset,
            };
        notes.Add(string.Create(CultureInfo.InvariantCulture, $"replayed as {client.Describe()}, {input} prompt and {output} output tokens each (the result's means)"));
        if (!result.InputLengths.IsDefaultOrEmpty && result.InputLengths.Distinct().Skip(1).Any())
        {
            notes.Add("the result's prompt lengths vary; the replay gives every request the mean");
        }

        var replay = ServeSimulator.Run(new ServeBenchmark { Source = source, Gpu = gpu, Client = client, Server = new ServerSettings { Timer = timer } });
        notes.AddRange(replay.Notes);
        return (replay, notes.ToImmutable());
    }

    public static ImmutableDictionary<string, double> Figures(BenchmarkMetrics? m)
    {
        if (m is null)
        {
            return ImmutableDictionary<string, double>.Empty;
        }

        var figures = new Dictionary<string, double>
        {
            ["duration"] = m.DurationSeconds,
            ["completed"] = m.Completed,
            ["request_throughput"] = m.RequestThroughput,
            ["output_throughput"] = m.OutputThroughput,
            ["total_token_throughput"] = m.TotalTokenThroughput,
        };
        foreach (var (stem, stats) in new[] { ("ttft", m.Ttft), ("tpot", m.Tpot), ("itl", m.Itl), ("e2el", m.E2el) })
        {
            figures[$"mean_{stem}_ms"] = stats.MeanSeconds * 1e3;
            figures[$"median_{stem}_ms"] = stats.MedianSeconds * 1e3;
            figures[$"std_{stem}_ms"] = stats.StdSeconds * 1e3;
            figures[$"p90_{stem}_ms"] = stats.P90Seconds * 1e3;
            figures[$"p99_{stem}_ms"] = stats.P99Seconds * 1e3;
        }

        return figures.ToImmutableDictionary();
    }
}

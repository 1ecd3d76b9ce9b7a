using System.Collections.Immutable;
using System.Globalization;
using PerfNotebooks.Analysis;
using PerfNotebooks.Configuration;
using PerfNotebooks.Physical;

namespace PerfNotebooks.Measured;

/// <summary>
/// Replays a benchmark's client settings through the serving simulator. The one place that knows which simulator and
/// how bench serve's settings map onto it: a closed loop at the client's <c>--max-concurrency</c> (or every prompt at
/// once when it set none), with the mean prompt and output lengths.
/// </summary>
internal static class BenchReplay
{
    public static (ServeResult Result, ImmutableArray<string> Notes) Run(BenchmarkResult result, ModelSource source, GpuSpec gpu, IKernelTimer? timer)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(gpu);
        var notes = ImmutableArray.CreateBuilder<string>();
        var input = (long)Math.Round(result.MeanInputTokens ?? 0);
        var output = (long)Math.Round(result.MeanOutputTokens ?? 0);
        if (input <= 0 || output <= 0)
        {
            throw new InvalidDataException($"{result.Source}: no input and output lengths (input_lens/output_lens or total_input_tokens/total_output_tokens with completed)");
        }

        var completed = Math.Max(1, result.Completed);
        var concurrency = Math.Min(result.MaxConcurrency ?? completed, completed);
        notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"replayed as a closed loop of {concurrency} requests in flight, {input} prompt and {output} output tokens each (the result's means)"));
        if (result.Get("request_rate") is { } rate && double.IsFinite(rate) && rate > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"the client's request rate {rate:0.##}/s is not mirrored: the replay keeps the concurrency full"));
        }

        var request = ServeRequest.ClosedLoop(source, gpu, concurrency, input, output) with { Timer = timer };
        return (ServingSimulator.Run(request), notes.ToImmutable());
    }

    public static ImmutableDictionary<string, double> Figures(ServeFigures? f, long outputTokens)
    {
        if (f is null)
        {
            return ImmutableDictionary<string, double>.Empty;
        }

        return new Dictionary<string, double>
        {
            ["mean_ttft_ms"] = f.TimeToFirstTokenSeconds * 1e3,
            ["median_ttft_ms"] = f.TimeToFirstTokenSeconds * 1e3,
            ["mean_tpot_ms"] = f.TimePerOutputTokenSeconds * 1e3,
            ["median_tpot_ms"] = f.TimePerOutputTokenSeconds * 1e3,
            ["mean_itl_ms"] = f.InterTokenLatencySeconds * 1e3,
            ["median_itl_ms"] = f.InterTokenLatencySeconds * 1e3,
            ["mean_e2el_ms"] = f.EndToEndSeconds * 1e3,
            ["median_e2el_ms"] = f.EndToEndSeconds * 1e3,
            ["output_throughput"] = f.OutputTokensPerSecondPerReplica,
            ["request_throughput"] = f.OutputTokensPerSecondPerReplica / outputTokens,
        }.ToImmutableDictionary();
    }
}

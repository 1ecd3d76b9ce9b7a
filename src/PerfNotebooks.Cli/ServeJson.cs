using System.Collections.Immutable;
using System.Text.Json.Serialization;
using PerfNotebooks.Physical;
using PerfNotebooks.Rendering;
using PerfNotebooks.Serving;

namespace PerfNotebooks.Cli;

/// <summary><c>perfnb serve --json</c>: what was simulated, the expected figures flat in vllm bench serve's field names
/// (as its saved result has them), the same at the roofline bound under <c>bound</c>, and the engine's limits.</summary>
/// <remarks>The expected figures are the inherited <see cref="ServeMetricsJson"/> properties (order 0), between what was
/// simulated (order -1) and the engine's figures (order 1). Client fields another client does not have are left out.</remarks>
internal sealed record ServeJson : ServeMetricsJson
{
    private ServeJson(ServeMetricsJson expected)
        : base(expected)
    {
    }

    [JsonPropertyOrder(-1)]
    public required string Model { get; init; }

    [JsonPropertyOrder(-1)]
    public required string Gpu { get; init; }

    [JsonPropertyOrder(-1)]
    public required string Layout { get; init; }

    [JsonPropertyOrder(-1)]
    public required string Client { get; init; }

    [JsonPropertyOrder(-1)]
    public string Backend { get; init; } = string.Empty;

    [JsonPropertyOrder(-1)]
    public long? NumPrompts { get; init; }

    /// <summary>Requests per second, <c>"inf"</c> for all at once (vllm bench serve's spelling).</summary>
    [JsonPropertyOrder(-1)]
    [JsonConverter(typeof(RequestRateConverter))]
    public double? RequestRate { get; init; }

    [JsonPropertyOrder(-1)]
    public double? Burstiness { get; init; }

    /// <summary>NaN (written as null) for no limit, as vllm bench serve saves it.</summary>
    [JsonPropertyOrder(-1)]
    public double? MaxConcurrency { get; init; }

    [JsonPropertyOrder(-1)]
    public long? Concurrency { get; init; }

    [JsonPropertyOrder(-1)]
    public long? RequestCount { get; init; }

    [JsonPropertyOrder(-1)]
    public long? WarmupRequestCount { get; init; }

    [JsonPropertyOrder(-1)]
    public long? Batch { get; init; }

    [JsonPropertyOrder(-1)]
    public required long RandomInputLen { get; init; }

    [JsonPropertyOrder(-1)]
    public required long RandomOutputLen { get; init; }

    [JsonPropertyOrder(-1)]
    public required double RandomRangeRatio { get; init; }

    [JsonPropertyOrder(-1)]
    public required int Seed { get; init; }

    [JsonPropertyOrder(-1)]
    public required bool Fits { get; init; }

    [JsonPropertyOrder(1)]
    public required ServeMetricsJson Bound { get; init; }

    [JsonPropertyOrder(1)]
    public required long MaxNumBatchedTokens { get; init; }

    [JsonPropertyOrder(1)]
    public required long MaxNumSeqs { get; init; }

    [JsonPropertyOrder(1)]
    public required int BlockSize { get; init; }

    [JsonPropertyOrder(1)]
    public required long NumGpuBlocks { get; init; }

    [JsonPropertyOrder(1)]
    public required long Steps { get; init; }

    [JsonPropertyOrder(1)]
    public required long NumPreemptions { get; init; }

    [JsonPropertyOrder(1)]
    public required string Timer { get; init; }

    [JsonPropertyOrder(1)]
    public required ImmutableArray<string> Notes { get; init; }

    public static ServeJson Of(string model, ServeBenchmarkResult result)
    {
        var r = result.Benchmark;
        var json = new ServeJson(Of(result.Expected))
        {
            Model = model,
            Gpu = r.Gpu.Name,
            Layout = Tables.Layout(r.Source.Engine),
            Client = r.Client.Describe(),
            RandomInputLen = r.Client.Dataset.InputLen,
            RandomOutputLen = r.Client.Dataset.OutputLen,
            RandomRangeRatio = r.Client.Dataset.RangeRatio,
            Seed = r.Client.Seed,
            Fits = result.Fits,
            Bound = Of(result.Bound),
            MaxNumBatchedTokens = result.Limits.MaxNumBatchedTokens,
            MaxNumSeqs = result.Limits.MaxNumSeqs,
            BlockSize = result.Limits.BlockSize,
            NumGpuBlocks = result.Limits.KvBlocks,
            Steps = result.Steps,
            NumPreemptions = result.Preemptions,
            Timer = result.TimerSource.DisplayName(),
            Notes = result.Notes,
        };
        return r.Client switch
        {
            BenchServeClient b => json with
            {
                Backend = "vllm bench serve",
                NumPrompts = b.NumPrompts,
                RequestRate = b.RequestRate,
                Burstiness = b.Burstiness,
                MaxConcurrency = b.MaxConcurrency ?? double.NaN,
            },
            AiperfClient a => json with { Backend = "aiperf", Concurrency = a.Concurrency, RequestCount = a.NumRequests, WarmupRequestCount = a.WarmupRequests },
            StaticBatchClient s => json with { Backend = "static batch", Batch = s.Batch },
            _ => throw new ArgumentException($"no JSON for client {r.Client.GetType().Name}", nameof(result)),
        };
    }
}

using PerfNotebooks.Hardware;
using PerfNotebooks.Models;

namespace PerfNotebooks.Serving;

/// <summary>
/// What to simulate: a model with its engine settings (TP, PP, DP, EP, dtypes) on a GPU, the vLLM server's settings
/// and the benchmark client that loads it. Run it with <see cref="ServeSimulator.Run"/>.
/// </summary>
public sealed record ServeBenchmark
{
    /// <summary>The model and engine settings (TP, PP, DP, EP, dtypes, quantization).</summary>
    public required ModelSource Source { get; init; }

    /// <summary>The GPU every rank runs on.</summary>
    public required GpuSpec Gpu { get; init; }

    /// <summary>The benchmark client.</summary>
    public required LoadClient Client { get; init; }

    /// <summary>The server's settings (scheduler limits, KV cache, CUDA graphs, API server, step timing).</summary>
    public ServerSettings Server { get; init; } = new();

    /// <summary><c>vllm bench serve</c> against the model: <paramref name="client"/> with default server settings.</summary>
    public static ServeBenchmark BenchServe(ModelSource source, GpuSpec gpu, BenchServeClient client) =>
        new() { Source = source, Gpu = gpu, Client = client };

    /// <summary>aiperf's concurrency mode as AIConfigurator ran it (<see cref="AiperfClient.Standard"/>).</summary>
    public static ServeBenchmark Aiperf(ModelSource source, GpuSpec gpu, long concurrency, long inputLen, long outputLen) =>
        new() { Source = source, Gpu = gpu, Client = AiperfClient.Standard(concurrency, inputLen, outputLen) };

    /// <summary>A static batch of <paramref name="batch"/> requests handed to the engine together.</summary>
    public static ServeBenchmark StaticBatch(ModelSource source, GpuSpec gpu, long batch, long inputLen, long outputLen) =>
        new() { Source = source, Gpu = gpu, Client = new StaticBatchClient { Batch = batch, Dataset = RandomDataset.Fixed(inputLen, outputLen) } };
}

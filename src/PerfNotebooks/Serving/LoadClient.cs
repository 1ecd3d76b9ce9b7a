namespace PerfNotebooks.Serving;

/// <summary>
/// The benchmark client that loads the server: when it starts each request, with which lengths, and which requests
/// it measures. One of <see cref="BenchServeClient"/> (<c>vllm bench serve</c>), <see cref="AiperfClient"/> (aiperf's
/// concurrency mode) or <see cref="StaticBatchClient"/> (every request handed to the engine together, no API server).
/// </summary>
public abstract record LoadClient
{
    private protected LoadClient()
    {
    }

    /// <summary>Prompt and output lengths of the requests.</summary>
    public RandomDataset Dataset { get; init; } = new();

    /// <summary>The random seed of lengths and arrival times (vllm bench serve <c>--seed</c>, default 0); the same seed gives the same result.</summary>
    public int Seed { get; init; }

    /// <summary>Requests the statistics cover (warm-up excluded).</summary>
    public abstract long MeasuredRequests { get; }

    /// <summary>What the client does, in words: <c>vllm bench serve, 1000 prompts at 10 req/s (Poisson)</c>.</summary>
    public abstract string Describe();

    /// <inheritdoc />
    public sealed override string ToString() => Describe() + ", " + Dataset;
}

using System.Globalization;

namespace PerfNotebooks.Serving;

/// <summary>
/// A static batch: <see cref="Batch"/> requests handed to the engine together at time 0, timed at the engine (no API
/// server, no client), like vLLM's offline latency benchmark (<c>vllm bench latency</c>) or TensorRT-LLM static
/// batching; every request is measured.
/// </summary>
public sealed record StaticBatchClient : LoadClient
{
    /// <summary>Requests in the batch, across every DP replica.</summary>
    /// <exception cref="InvalidValueException">Not positive.</exception>
    public required long Batch { get; init => field = Guard.Positive(value, "batch"); }

    /// <inheritdoc />
    public override long MeasuredRequests => Batch;

    /// <inheritdoc />
    public override string Describe() => string.Create(CultureInfo.InvariantCulture, $"static batch {Batch}");
}

using System.Globalization;

namespace PerfNotebooks.Serving;

/// <summary>
/// <c>vllm bench serve</c> (vllm/benchmarks/serve.py) with the random dataset: <see cref="NumPrompts"/> requests,
/// started at <see cref="RequestRate"/> (inf: all at once; else gamma-distributed gaps of shape
/// <see cref="Burstiness"/>, Poisson at 1, rescaled so the last starts at num_prompts ÷ rate), at most
/// <see cref="MaxConcurrency"/> in flight (an asyncio semaphore: a request waits for a free slot), every one streamed
/// and measured.
/// </summary>
/// <remarks>
/// Defaults are serve.py's: <c>--num-prompts 1000</c>, <c>--request-rate inf</c>, <c>--burstiness 1.0</c>,
/// <c>--max-concurrency None</c>, <c>--num-warmups 0</c>, <c>--seed 0</c>, <c>--ignore-eos</c> off. Before the
/// measured run serve.py sends one test prompt and waits for it (<c>wait_for_endpoint</c>); its warm-ups (run with the
/// same semaphore) also finish before the benchmark clock starts, so neither overlaps measured requests.
/// </remarks>
public sealed record BenchServeClient : LoadClient
{
    /// <summary>vllm bench serve's <c>--num-prompts</c>: requests sent and measured.</summary>
    /// <exception cref="InvalidValueException">Not positive.</exception>
    public long NumPrompts { get; init => field = Guard.Positive(value, "num_prompts"); } = 1000;

    /// <summary>vllm bench serve's <c>--max-concurrency</c>: requests in flight at most; null: no limit.</summary>
    /// <exception cref="InvalidValueException">Not positive.</exception>
    public long? MaxConcurrency { get; init => field = value is { } v ? Guard.Positive(v, "max_concurrency") : null; }

    /// <summary>vllm bench serve's <c>--request-rate</c>, requests per second; <see cref="double.PositiveInfinity"/> starts every request at once.</summary>
    /// <exception cref="InvalidValueException">Not positive.</exception>
    public double RequestRate
    {
        get;
        init => field = value > 0 ? value : throw new InvalidValueException("request_rate", value, "must be greater than 0 (inf: all at once)");
    } = double.PositiveInfinity;

    /// <summary>vllm bench serve's <c>--burstiness</c>: the gamma shape of request gaps (1: Poisson; &lt; 1 burstier; inf: evenly spaced).</summary>
    /// <exception cref="InvalidValueException">Not positive.</exception>
    public double Burstiness
    {
        get;
        init => field = value > 0 ? value : throw new InvalidValueException("burstiness", value, "must be greater than 0");
    } = 1;

    /// <summary>vllm bench serve's <c>--num-warmups</c>: requests of the first prompt sent (and awaited) before the measured run.</summary>
    /// <exception cref="InvalidValueException">Negative.</exception>
    public long NumWarmups { get; init => field = Guard.NonNegative(value, "num_warmups"); }

    /// <summary>vllm bench serve's <c>--ignore-eos</c>. Generation always runs to the output length here (an
    /// end-of-sequence token is not modelled), which is what ignore_eos makes the server do.</summary>
    public bool IgnoreEos { get; init; }

    /// <summary>vllm bench serve's <c>--goodput</c> SLOs; null: no goodput.</summary>
    public GoodputSlo? Goodput { get; init; }

    /// <inheritdoc />
    public override long MeasuredRequests => NumPrompts;

    /// <inheritdoc />
    public override string Describe()
    {
        var rate = double.IsPositiveInfinity(RequestRate)
            ? "all at once"
            : string.Create(CultureInfo.InvariantCulture, $"at {RequestRate:0.###} req/s ({(Burstiness == 1 ? "Poisson" : $"gamma, burstiness {Burstiness:0.###}")})");
        var limit = MaxConcurrency is { } c ? string.Create(CultureInfo.InvariantCulture, $", max concurrency {c}") : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"vllm bench serve, {NumPrompts} prompts {rate}{limit}");
    }
}

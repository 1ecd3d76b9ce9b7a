using System.Globalization;

namespace PerfNotebooks.Serving;

/// <summary>
/// aiperf's concurrency mode (<c>aiperf profile --concurrency C --request-count N --warmup-request-count W
/// --streaming</c>): C workers each send a request, wait for its last token and send the next at once; the first
/// W requests warm the server up and are left out of the statistics, the next N are measured.
/// </summary>
/// <remarks>AIConfigurator measured its vLLM rows with C concurrent, N = 20·C and W = 2·C
/// (bench_run.sh.j2 of ai-dynamo/aiconfigurator); <see cref="Standard"/> builds that.</remarks>
public sealed record AiperfClient : LoadClient
{
    /// <summary>aiperf's <c>--concurrency</c>: requests kept in flight.</summary>
    /// <exception cref="InvalidValueException">Not positive.</exception>
    public required long Concurrency { get; init => field = Guard.Positive(value, "concurrency"); }

    /// <summary>aiperf's <c>--request-count</c> (<c>--num-requests</c>): measured requests.</summary>
    /// <exception cref="InvalidValueException">Not positive.</exception>
    public required long NumRequests { get; init => field = Guard.Positive(value, "num_requests"); }

    /// <summary>aiperf's <c>--warmup-request-count</c>: requests sent first and left out of the statistics.</summary>
    /// <exception cref="InvalidValueException">Negative.</exception>
    public long WarmupRequests { get; init => field = Guard.NonNegative(value, "warmup_request_count"); }

    /// <summary>aiperf's <c>--goodput</c> SLOs; null: no goodput.</summary>
    public GoodputSlo? Goodput { get; init; }

    /// <inheritdoc />
    public override long MeasuredRequests => NumRequests;

    /// <summary>How AIConfigurator ran aiperf: <paramref name="concurrency"/> in flight, 20× as many measured requests
    /// after 2× as many warm-up requests, fixed lengths.</summary>
    public static AiperfClient Standard(long concurrency, long inputLen, long outputLen) => new()
    {
        Concurrency = concurrency,
        NumRequests = checked(20 * concurrency),
        WarmupRequests = checked(2 * concurrency),
        Dataset = RandomDataset.Fixed(inputLen, outputLen),
    };

    /// <inheritdoc />
    public override string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"aiperf concurrency {Concurrency}, {NumRequests} requests after {WarmupRequests} warm-up");
}

namespace PerfNotebooks.Serving;

/// <summary>
/// vLLM bench serve's random dataset (<c>--dataset-name random</c>): each request's prompt and output lengths are
/// drawn uniformly from [⌊len·(1 − r)⌋, ⌈len·(1 + r)⌉] for the range ratio r; r = 0 gives fixed lengths (how aiperf
/// was run for the published rows).
/// </summary>
/// <remarks>Defaults are vllm/benchmarks/datasets.py's: <c>--random-input-len 1024</c>, <c>--random-output-len 128</c>,
/// <c>--random-range-ratio 0.0</c> (RandomDataset.DEFAULT_INPUT_LEN, DEFAULT_OUTPUT_LEN, DEFAULT_RANGE_RATIO).</remarks>
public sealed record RandomDataset
{
    /// <summary>vllm bench serve's <c>--random-input-len</c>: prompt tokens per request (the middle of the range).</summary>
    /// <exception cref="InvalidValueException">Not positive.</exception>
    public long InputLen { get; init => field = Guard.Positive(value, "random_input_len"); } = 1024;

    /// <summary>vllm bench serve's <c>--random-output-len</c>: tokens generated per request (the middle of the range).</summary>
    /// <exception cref="InvalidValueException">Not positive.</exception>
    public long OutputLen { get; init => field = Guard.Positive(value, "random_output_len"); } = 128;

    /// <summary>vllm bench serve's <c>--random-range-ratio</c>, in [0, 1): how far lengths spread around their middle.</summary>
    /// <exception cref="InvalidValueException">Outside [0, 1).</exception>
    public double RangeRatio
    {
        get;
        init => field = value is >= 0 and < 1 ? value : throw new InvalidValueException("random_range_ratio", value, "must be in [0, 1)");
    }

    /// <summary>Fixed lengths: every request has <paramref name="inputLen"/> prompt and <paramref name="outputLen"/> output tokens.</summary>
    public static RandomDataset Fixed(long inputLen, long outputLen) => new() { InputLen = inputLen, OutputLen = outputLen };

    /// <summary>The smallest and largest length drawn around <paramref name="length"/>.</summary>
    internal (long Low, long High) Range(long length) =>
        RangeRatio == 0 ? (length, length) : (Math.Max(1, (long)Math.Floor(length * (1 - RangeRatio))), (long)Math.Ceiling(length * (1 + RangeRatio)));

    /// <inheritdoc />
    public override string ToString() => RangeRatio == 0
        ? FormattableString.Invariant($"{InputLen} in, {OutputLen} out")
        : FormattableString.Invariant($"{InputLen} in, {OutputLen} out, range ratio {RangeRatio:0.###}");
}

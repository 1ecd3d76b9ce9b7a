namespace PerfNotebooks.Serving;

/// <summary>
/// One latency metric over the measured requests (or, for ITL, over every gap between tokens), as vllm bench serve
/// reports it: numpy's mean, median, standard deviation and linearly interpolated percentiles, seconds.
/// </summary>
/// <param name="MeanSeconds">Mean, seconds.</param>
/// <param name="MedianSeconds">Median (50th percentile), seconds.</param>
/// <param name="StdSeconds">Population standard deviation (numpy's <c>np.std</c>), seconds.</param>
/// <param name="P90Seconds">90th percentile, seconds.</param>
/// <param name="P99Seconds">99th percentile, seconds.</param>
public readonly record struct LatencyStats(double MeanSeconds, double MedianSeconds, double StdSeconds, double P90Seconds, double P99Seconds)
{
    /// <summary>The statistics of <paramref name="values"/> (all zero when empty, as serve.py's <c>np.mean(x or 0)</c>).</summary>
    public static LatencyStats Of(ReadOnlySpan<double> values)
    {
        var sample = new WeightedSample();
        foreach (var v in values)
        {
            sample.Add(v, 1);
        }

        return sample.Stats();
    }

    /// <summary>Each figure times <paramref name="factor"/>.</summary>
    public LatencyStats Scale(double factor) =>
        new(MeanSeconds * factor, MedianSeconds * factor, StdSeconds * factor, P90Seconds * factor, P99Seconds * factor);
}

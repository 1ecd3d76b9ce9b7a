namespace PerfNotebooks.Serving;

/// <summary>
/// A sample kept as values with repeat counts: the statistics equal numpy's over the expanded list (each value
/// repeated its count), without expanding it — a benchmark's inter-token gaps are mostly whole step durations.
/// </summary>
internal sealed class WeightedSample
{
    private readonly List<(double Value, long Count)> _items = [];
    private double _sum;
    private long _count;

    public long Count => _count;

    public void Add(double value, long count)
    {
        if (count <= 0)
        {
            return;
        }

        _items.Add((value, count));
        _sum += value * count;
        _count = checked(_count + count);
    }

    public LatencyStats Stats()
    {
        if (_count == 0)
        {
            return default;
        }

        _items.Sort((a, b) => a.Value.CompareTo(b.Value));
        var mean = _sum / _count;
        double squares = 0;
        foreach (var (value, count) in _items)
        {
            squares += (value - mean) * (value - mean) * count;
        }

        return new LatencyStats(mean, Percentile(50), Math.Sqrt(squares / _count), Percentile(90), Percentile(99));
    }

    // numpy.percentile's default ('linear'): position p/100·(n − 1) in the sorted list, interpolated between neighbours.
    private double Percentile(double p)
    {
        var position = p / 100 * (_count - 1);
        var below = (long)Math.Floor(position);
        var fraction = position - below;
        var low = At(below);
        return fraction == 0 ? low : low + ((At(below + 1) - low) * fraction);
    }

    private double At(long index)
    {
        long seen = 0;
        foreach (var (value, count) in _items)
        {
            seen += count;
            if (index < seen)
            {
                return value;
            }
        }

        return _items[^1].Value;
    }
}

using System.Collections.Concurrent;

namespace PerfNotebooks.Physical.Kernels;

/// <summary>
/// One measured table indexed once: for each discrete key a grid sorted by one continuous axis (tokens, context,
/// message size), so a lookup is a dictionary probe and a binary search.
/// </summary>
/// <remarks>
/// Implementation note: between two measured axis points the time is interpolated linearly in log(axis)–log(time)
/// (a power law between neighbours, exact at the points). A key that was not measured takes the nearest measured key
/// (sum of |log ratio| over the numeric slots; categorical slots must match) and the caller rescales by the fitted
/// curve's ratio. Where a key was measured several times (several kernels for one dtype), the fastest is kept: the one
/// vLLM's kernel selection would run.
/// </remarks>
internal sealed class KernelGrid
{
    private readonly Dictionary<GridKey, Series> _series;
    private readonly GridKey[] _keys;
    private readonly int _categoricalMask;
    private readonly long[] _min = new long[GridKey.Slots];
    private readonly long[] _max = new long[GridKey.Slots];
    private readonly ConcurrentDictionary<GridKey, (GridKey? Near, bool Inside)> _nearest = new();

    public KernelGrid(IEnumerable<(GridKey Key, long Axis, double Seconds)> rows, int categoricalMask)
    {
        _categoricalMask = categoricalMask;
        _series = rows
            .GroupBy(r => r.Key)
            .ToDictionary(g => g.Key, g =>
            {
                var points = g.GroupBy(r => r.Axis).Select(p => (Axis: p.Key, Seconds: p.Min(r => r.Seconds))).OrderBy(p => p.Axis).ToArray();
                return new Series([.. points.Select(p => Math.Log(p.Axis))], [.. points.Select(p => Math.Log(p.Seconds))]);
            });
        _keys = [.. _series.Keys];
        Array.Fill(_min, long.MaxValue);
        Array.Fill(_max, long.MinValue);
        foreach (var k in _keys)
        {
            for (var i = 0; i < GridKey.Slots; i++)
            {
                _min[i] = Math.Min(_min[i], k[i]);
                _max[i] = Math.Max(_max[i], k[i]);
            }
        }
    }

    public int Keys => _keys.Length;

    /// <summary>The measured key to use for <paramref name="key"/> (itself when measured, else the nearest) and its grid;
    /// <paramref name="inside"/> says whether every size of <paramref name="key"/> lies in the measured range.</summary>
    public bool TryResolve(GridKey key, out GridKey near, out Series series, out bool inside)
    {
        if (_series.TryGetValue(key, out series!))
        {
            near = key;
            inside = true;
            return true;
        }

        // Implementation note: an unmeasured key is resolved once (a scan over the keys) and cached.
        var resolved = _nearest.GetOrAdd(key, k => (Nearest(k), Inside(k)));
        near = resolved.Near.GetValueOrDefault();
        inside = resolved.Inside;
        return resolved.Near is not null && _series.TryGetValue(near, out series!);
    }

    /// <summary>Whether every numeric slot of <paramref name="key"/> lies inside the measured range of that slot.</summary>
    public bool Inside(GridKey key)
    {
        for (var i = 0; i < GridKey.Slots; i++)
        {
            if ((_categoricalMask & (1 << i)) == 0 && (key[i] < _min[i] || key[i] > _max[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Interpolated seconds at <paramref name="axis"/> in a measured grid <paramref name="s"/>; outside its axis
    /// range, the time at the nearer end, with that end in <paramref name="usedAxis"/> and false returned.</summary>
    public static bool TryInterpolate(Series s, double axis, out double seconds, out double usedAxis)
    {
        var x = Math.Log(axis);
        var xs = s.LogAxis;
        usedAxis = axis;
        if (x < xs[0] - 1e-9 || x > xs[^1] + 1e-9)
        {
            var end = x < xs[0] ? 0 : xs.Length - 1;
            usedAxis = Math.Round(Math.Exp(xs[end]));
            seconds = Math.Exp(s.LogSeconds[end]);
            return false;
        }

        var i = Array.BinarySearch(xs, x);
        if (i >= 0)
        {
            seconds = Math.Exp(s.LogSeconds[i]);
            return true;
        }

        i = ~i;
        if (i == 0 || i == xs.Length)
        {
            seconds = Math.Exp(s.LogSeconds[Math.Clamp(i, 0, xs.Length - 1)]);
            return true;
        }

        var t = (x - xs[i - 1]) / (xs[i] - xs[i - 1]);
        seconds = Math.Exp(s.LogSeconds[i - 1] + (t * (s.LogSeconds[i] - s.LogSeconds[i - 1])));
        return true;
    }

    private GridKey? Nearest(GridKey key)
    {
        GridKey? best = null;
        var bestDistance = double.PositiveInfinity;
        foreach (var k in _keys)
        {
            var d = 0.0;
            for (var i = 0; i < GridKey.Slots && d < bestDistance; i++)
            {
                if ((_categoricalMask & (1 << i)) != 0)
                {
                    d += k[i] == key[i] ? 0 : double.PositiveInfinity;
                }
                else if (k[i] != key[i])
                {
                    d += Math.Abs(Math.Log(Math.Max(k[i], 1)) - Math.Log(Math.Max(key[i], 1)));
                }
            }

            if (d < bestDistance)
            {
                bestDistance = d;
                best = k;
            }
        }

        return best;
    }

    /// <summary>One key's measured points: log(axis) ascending and log(seconds).</summary>
    internal sealed record Series(double[] LogAxis, double[] LogSeconds);
}

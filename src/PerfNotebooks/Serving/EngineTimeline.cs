using System.Collections.Immutable;
namespace PerfNotebooks.Serving;

/// <summary>Views of an engine timeline (<see cref="ServeBenchmarkResult.Timeline"/>).</summary>
public static class EngineTimeline
{
    /// <summary>The engine's state at <paramref name="points"/> evenly spaced times from the first step's end to the
    /// last's: at each, the last step that ended by then.</summary>
    /// <exception cref="InvalidValueException"><paramref name="points"/> is not positive.</exception>
    public static ImmutableArray<EngineSample> Sample(ImmutableArray<EngineSample> timeline, int points)
    {
        Guard.Positive(points);
        if (timeline.IsDefaultOrEmpty)
        {
            return [];
        }

        var first = timeline[0].TimeSeconds;
        var last = timeline[^1].TimeSeconds;
        var result = ImmutableArray.CreateBuilder<EngineSample>(points);
        var k = 0;
        for (var p = 0; p < points; p++)
        {
            var t = points == 1 ? last : first + ((last - first) * p / (points - 1));
            while (k + 1 < timeline.Length && timeline[k + 1].TimeSeconds <= t)
            {
                k++;
            }

            if (result.Count == 0 || result[^1] != timeline[k])
            {
                result.Add(timeline[k]);
            }
        }

        return result.ToImmutable();
    }
}

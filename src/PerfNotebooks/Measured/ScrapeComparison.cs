using System.Collections.Immutable;

namespace PerfNotebooks.Measured;

/// <summary>A scrape window held against the model: the mean step it implies (tokens per step from the counters and
/// the iteration-tokens histogram) and its expected time beside the measured step rate, ITL and MFU.</summary>
public sealed class ScrapeComparison : IMeasuredComparison
{
    internal ScrapeComparison(MetricsWindow window, ImmutableArray<(string Series, Batch Batch, CategoryEstimate Expected)> series, ImmutableArray<string> notes)
    {
        Window = window;
        Series = series;
        Notes = notes;
    }

    /// <summary>The measured window.</summary>
    public MetricsWindow Window { get; }

    /// <summary>Per series: the mean step and its expected time.</summary>
    public ImmutableArray<(string Series, Batch Batch, CategoryEstimate Expected)> Series { get; }

    /// <summary>How the mean step was formed.</summary>
    public ImmutableArray<string> Notes { get; }
}

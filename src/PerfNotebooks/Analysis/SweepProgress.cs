namespace PerfNotebooks.Analysis;

/// <summary>How far a sweep has got.</summary>
/// <param name="Done">Points evaluated.</param>
/// <param name="Total">Points in the sweep.</param>
public readonly record struct SweepProgress(long Done, long Total)
{
    /// <summary>Fraction done, 0 to 1.</summary>
    public double Fraction => Total == 0 ? 1 : (double)Done / Total;
}

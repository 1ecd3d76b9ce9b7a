namespace PerfNotebooks.Analysis;

/// <summary>What limits a piece of work on a GPU.</summary>
public enum Bound
{
    /// <summary>Peak FLOP/s: arithmetic intensity at or above the ridge point.</summary>
    Compute,

    /// <summary>Memory bandwidth: arithmetic intensity below the ridge point.</summary>
    Memory,

    /// <summary>Interconnect bandwidth (collective communication).</summary>
    Communication,
}

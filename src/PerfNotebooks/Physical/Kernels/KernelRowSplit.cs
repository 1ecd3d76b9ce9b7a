namespace PerfNotebooks.Physical.Kernels;

/// <summary>Which measured rows to load: all of them, or one side of a fixed four-to-one split for checking interpolation.</summary>
/// <remarks>A row is held out when a stable FNV-1a hash of its table name and shape is divisible by 5, so the split is
/// the same on every machine and run.</remarks>
public enum KernelRowSplit
{
    /// <summary>Every measured row.</summary>
    All,

    /// <summary>The four fifths of rows not held out (index and fit on these).</summary>
    Training,

    /// <summary>The fifth of rows held out (check interpolation against these).</summary>
    HeldOut,
}

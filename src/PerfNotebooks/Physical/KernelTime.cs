namespace PerfNotebooks.Physical;

/// <summary>Where a kernel time came from, so an estimate can say how much of it was measured.</summary>
public enum KernelTimeSource
{
    /// <summary>Interpolated inside a table of measured kernel timings.</summary>
    Measured,

    /// <summary>From an efficiency curve fitted per GPU (outside the measured shapes, or no table for the GPU).</summary>
    Fitted,

    /// <summary>The roofline bound at datasheet peaks (no measurement and no fitted curve).</summary>
    Roofline,
}

/// <summary>The expected time of one kernel call, in seconds, and where the figure came from.</summary>
/// <param name="Seconds">Expected wall time of the call on one GPU, in seconds.</param>
/// <param name="Source">Measured table, fitted curve or roofline.</param>
public readonly record struct KernelTime(double Seconds, KernelTimeSource Source);

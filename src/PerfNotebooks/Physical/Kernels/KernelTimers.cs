using PerfNotebooks.Hardware;

namespace PerfNotebooks.Physical.Kernels;

/// <summary>The kernel timer to use for a GPU: expected time (measured tables or fitted curves) and the roofline bound.</summary>
public static class KernelTimers
{
    /// <summary>The expected-time timer for <paramref name="gpu"/>: interpolation in the measured tables of an
    /// AIConfigurator <paramref name="systemsFolder"/> when one is given, else the shipped fitted curves, else (a GPU
    /// with no calibrated architecture, such as a user's JSON GPU) the roofline.</summary>
    /// <exception cref="Models.ModelConfigException">The folder lacks a table or column; names which.</exception>
    public static IKernelTimer Expected(GpuSpec gpu, string? systemsFolder = null)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        if (!FittedKernelTimer.Supports(gpu))
        {
            return new RooflineKernelTimer(gpu);
        }

        return systemsFolder is null ? new FittedKernelTimer(gpu) : MeasuredKernelTimer.Load(systemsFolder, gpu);
    }

    /// <summary>The roofline bound for <paramref name="gpu"/> at datasheet peaks.</summary>
    public static IKernelTimer Bound(GpuSpec gpu) => new RooflineKernelTimer(gpu);
}

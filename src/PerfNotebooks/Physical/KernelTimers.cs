using PerfNotebooks.Analysis;

namespace PerfNotebooks.Physical;

/// <summary>The one place that picks a kernel timer for a GPU: measured tables, else fitted curves, else the datasheet roofline.</summary>
public static class KernelTimers
{
    /// <summary>The best timer available for <paramref name="gpu"/> (Measured &gt; Fitted &gt; Roofline).</summary>
    /// <remarks>Until measured and fitted timers are merged, this is <see cref="DatasheetKernelTimer"/>, whose
    /// expected times are the roofline bound plus the engine overhead (about twice too fast on real runs).</remarks>
    public static IKernelTimer Best(GpuSpec gpu)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        return new DatasheetKernelTimer(gpu);
    }
}

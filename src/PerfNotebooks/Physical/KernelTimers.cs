using System.Collections.Concurrent;
using PerfNotebooks.Analysis;
using PerfNotebooks.Configuration;
using PerfNotebooks.Physical.Kernels;

namespace PerfNotebooks.Physical;

/// <summary>The one place that picks a kernel timer for a GPU: measured tables, else fitted curves, else the datasheet roofline.</summary>
public static class KernelTimers
{
    /// <summary>Environment variable naming an AIConfigurator <c>systems</c> folder to read measured kernel tables from.</summary>
    public const string SystemsFolderVariable = "PERFNB_AIC_SYSTEMS";

    private static readonly ConcurrentDictionary<(GpuSpec Gpu, string Folder), IKernelTimer> Cache = new();

    /// <summary>
    /// The best timer available for <paramref name="gpu"/>: <see cref="MeasuredKernelTimer"/> when
    /// <paramref name="systemsFolder"/> (or <see cref="SystemsFolderVariable"/>) holds tables for it, else
    /// <see cref="FittedKernelTimer"/> from the shipped calibration, else <see cref="RooflineKernelTimer"/>. Loaded once
    /// per GPU and folder, then shared (timers are immutable and thread-safe).
    /// </summary>
    public static IKernelTimer Best(GpuSpec gpu, string? systemsFolder = null)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        var folder = systemsFolder ?? Environment.GetEnvironmentVariable(SystemsFolderVariable) ?? string.Empty;
        return Cache.GetOrAdd((gpu, folder), static key => Create(key.Gpu, key.Folder));
    }

    private static IKernelTimer Create(GpuSpec gpu, string folder)
    {
        if (folder.Length > 0 && Directory.Exists(folder))
        {
            try
            {
                return MeasuredKernelTimer.Load(folder, gpu);
            }
            catch (Exception e) when (e is ModelConfigException or ArgumentException or IOException)
            {
                // Implementation note: no tables for this GPU in the folder; the fitted curves are the next best.
            }
        }

        try
        {
            return new FittedKernelTimer(gpu);
        }
        catch (ArgumentException)
        {
            return new RooflineKernelTimer(gpu);
        }
    }
}

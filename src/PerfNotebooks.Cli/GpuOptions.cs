using PerfNotebooks.Analysis;

namespace PerfNotebooks.Cli;

/// <summary>The GPU options of the analysis commands.</summary>
public static class GpuOptions
{
    /// <summary>The option specs.</summary>
    public static IReadOnlyList<OptionSpec> Specs { get; } =
    [
        new("gpu", "NAME|FILE", "GPU from the catalog (perfnb gpus) or a GPU JSON file (default H100-SXM)"),
        new("compute-dtype", "DTYPE", "override the compute dtype: fp32, tf32, bf16, fp16, fp8, fp4"),
        new("flops-efficiency", "FRACTION", "measured achievable fraction of peak FLOP/s, applied to times"),
        new("bandwidth-efficiency", "FRACTION", "measured achievable fraction of peak bandwidth, applied to times"),
    ];

    /// <summary>The GPU with any stated efficiencies, and whether to apply them.</summary>
    /// <exception cref="CliException">A value is malformed.</exception>
    public static (GpuSpec Gpu, bool ApplyEfficiency) Read(ParsedOptions options)
    {
        var gpu = GpuCatalog.Find(options.Value("gpu") ?? "H100-SXM");
        var flops = options.PositiveDouble("flops-efficiency", gpu.FlopsEfficiency);
        var bandwidth = options.PositiveDouble("bandwidth-efficiency", gpu.BandwidthEfficiency);
        if (flops > 1 || bandwidth > 1)
        {
            throw new CliException($"perfnb {options.Command}: efficiencies are fractions in (0, 1], e.g. 0.7");
        }

        var apply = options.Value("flops-efficiency") is not null || options.Value("bandwidth-efficiency") is not null;
        return (gpu with { FlopsEfficiency = flops, BandwidthEfficiency = bandwidth }, apply);
    }

    /// <summary>The --compute-dtype override, or null.</summary>
    /// <exception cref="CliException">Not a known dtype.</exception>
    public static ComputeDtype? ComputeDtype(ParsedOptions options) =>
        options.Value("compute-dtype") is not { } text ? null
        : Enum.TryParse<ComputeDtype>(text, ignoreCase: true, out var dtype) && !int.TryParse(text, out _)
            ? dtype
            : throw new CliException($"perfnb {options.Command}: --compute-dtype must be one of fp32, tf32, bf16, fp16, fp8, fp4, not '{text}'");
}

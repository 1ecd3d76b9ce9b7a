using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using PerfNotebooks.Configuration;

namespace PerfNotebooks;

/// <summary>
/// One GPU's datasheet figures: dense peak FLOP/s per compute dtype, HBM capacity and bandwidth, per-GPU interconnect
/// bandwidth, and optional measured efficiencies (the achievable fraction of each peak). Every figure carries its source.
/// </summary>
public sealed record GpuSpec
{
    /// <summary>Catalog name (<c>H100-SXM</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Vendor (<c>NVIDIA</c>, <c>AMD</c>).</summary>
    public string Vendor { get; init; } = string.Empty;

    /// <summary>Other names it answers to, lower case.</summary>
    public ImmutableArray<string> Aliases { get; init; } = [];

    /// <summary>Dense (non-sparse) peak FLOP/s per compute dtype; a dtype the chip lacks is absent.</summary>
    public required ImmutableDictionary<ComputeDtype, double> PeakFlopsPerSecond { get; init; }

    /// <summary>Device memory, in bytes.</summary>
    public required double MemoryBytes { get; init; }

    /// <summary>Peak device-memory bandwidth, in bytes per second.</summary>
    public required double MemoryBytesPerSecond { get; init; }

    /// <summary>The GPU-to-GPU link (<c>NVLink 4</c>, <c>PCIe Gen5 x16</c>).</summary>
    public string Interconnect { get; init; } = string.Empty;

    /// <summary>Per-GPU interconnect bandwidth as datasheets quote it (both directions together), in bytes per second.</summary>
    public required double InterconnectBytesPerSecond { get; init; }

    /// <summary>Achievable fraction of peak FLOP/s (1 = datasheet peak); from your own measurements.</summary>
    public double FlopsEfficiency { get; init => field = Fraction(value, nameof(FlopsEfficiency)); } = 1.0;

    /// <summary>Achievable fraction of peak memory bandwidth (1 = datasheet peak).</summary>
    public double BandwidthEfficiency { get; init => field = Fraction(value, nameof(BandwidthEfficiency)); } = 1.0;

    /// <summary>Where the figures come from.</summary>
    public string Source { get; init; } = string.Empty;

    /// <summary>Whether a measured efficiency below 1 is stated (in the GPU file or by the user); every time figure then uses it.</summary>
    public bool HasMeasuredEfficiency => FlopsEfficiency < 1 || BandwidthEfficiency < 1;

    /// <summary>Whether the chip has tensor math in <paramref name="dtype"/>.</summary>
    public bool Supports(ComputeDtype dtype) => PeakFlopsPerSecond.ContainsKey(dtype);

    /// <summary>Dense peak FLOP/s in <paramref name="dtype"/>, scaled by <see cref="FlopsEfficiency"/> when asked.</summary>
    /// <exception cref="ArgumentException">The datasheet gives no peak for that dtype.</exception>
    public double Peak(ComputeDtype dtype, bool applyEfficiency = false) =>
        PeakFlopsPerSecond.TryGetValue(dtype, out var peak)
            ? peak * (applyEfficiency ? FlopsEfficiency : 1.0)
            : throw new ArgumentException(
                $"{Name} has no {dtype.ToString().ToLowerInvariant()} peak in its datasheet; it has {string.Join(", ", PeakFlopsPerSecond.Keys.Select(k => k.ToString().ToLowerInvariant()))}",
                nameof(dtype));

    /// <summary>Memory bandwidth in bytes per second, scaled by <see cref="BandwidthEfficiency"/> when asked.</summary>
    public double Bandwidth(bool applyEfficiency = false) => MemoryBytesPerSecond * (applyEfficiency ? BandwidthEfficiency : 1.0);

    /// <summary>The ridge point in FLOPs per byte: below it a step is memory-bound.</summary>
    public double Ridge(ComputeDtype dtype, bool applyEfficiency = false) => Peak(dtype, applyEfficiency) / Bandwidth(applyEfficiency);

    /// <summary>Reads a GPU from JSON (the catalog's format: <c>peak_tflops</c>, <c>memory_gb</c>, <c>memory_bandwidth_gbps</c>, …).</summary>
    /// <exception cref="ModelConfigException">A field is missing or not a number; names the field.</exception>
    public static GpuSpec FromJson(JsonElement e, string source)
    {
        double Number(string key) => e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number && v.GetDouble() > 0
            ? v.GetDouble()
            : throw new ModelConfigException(source, key, "must be a positive number");
        string Text(string key, bool required) => e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : required ? throw new ModelConfigException(source, key, "must be a string") : string.Empty;

        var peaks = ImmutableDictionary.CreateBuilder<ComputeDtype, double>();
        if (!e.TryGetProperty("peak_tflops", out var peakJson) || peakJson.ValueKind != JsonValueKind.Object)
        {
            throw new ModelConfigException(source, "peak_tflops", "must be an object of dtype: TFLOP/s (fp32, tf32, bf16, fp16, fp8, fp4)");
        }

        foreach (var peak in peakJson.EnumerateObject())
        {
            if (!Enum.TryParse<ComputeDtype>(peak.Name, ignoreCase: true, out var dtype) || peak.Value.ValueKind != JsonValueKind.Number || peak.Value.GetDouble() <= 0)
            {
                throw new ModelConfigException(source, "peak_tflops." + peak.Name,
                    $"must be a positive TFLOP/s figure for one of fp32, tf32, bf16, fp16, fp8, fp4, not {peak.Value.GetRawText()}");
            }

            peaks[dtype] = peak.Value.GetDouble() * 1e12;
        }

        var spec = new GpuSpec
        {
            Name = Text("name", true),
            Vendor = Text("vendor", false),
            Aliases = e.TryGetProperty("aliases", out var aliases) && aliases.ValueKind == JsonValueKind.Array
                ? [.. aliases.EnumerateArray().Select(a => a.GetString()!.ToLowerInvariant())]
                : [],
            PeakFlopsPerSecond = peaks.ToImmutable(),
            MemoryBytes = Number("memory_gb") * 1e9,
            MemoryBytesPerSecond = Number("memory_bandwidth_gbps") * 1e9,
            Interconnect = Text("interconnect", false),
            InterconnectBytesPerSecond = Number("interconnect_gbps") * 1e9,
            Source = Text("source", false),
        };
        return spec with
        {
            FlopsEfficiency = e.TryGetProperty("flops_efficiency", out var fe) ? fe.GetDouble() : 1.0,
            BandwidthEfficiency = e.TryGetProperty("bandwidth_efficiency", out var be) ? be.GetDouble() : 1.0,
        };
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name}: {Units.Bytes(MemoryBytes)}, {Units.Bandwidth(MemoryBytesPerSecond)}, {string.Join(", ", PeakFlopsPerSecond.OrderBy(p => p.Key).Select(p => $"{p.Key.ToString().ToLowerInvariant()} {Units.FlopRate(p.Value)}"))}");

    private static double Fraction(double value, string name) =>
        value is > 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(name, value, "an efficiency is a fraction in (0, 1]");
}

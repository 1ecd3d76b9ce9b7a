using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using PerfNotebooks.Models;

namespace PerfNotebooks.Hardware;

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
            : throw new InvalidValueException(
                $"{Name} has no {dtype.ToString().ToLowerInvariant()} peak in its datasheet; it has {string.Join(", ", PeakFlopsPerSecond.Keys.Select(k => k.ToString().ToLowerInvariant()))}");

    /// <summary>Memory bandwidth in bytes per second, scaled by <see cref="BandwidthEfficiency"/> when asked.</summary>
    public double Bandwidth(bool applyEfficiency = false) => MemoryBytesPerSecond * (applyEfficiency ? BandwidthEfficiency : 1.0);

    /// <summary>The ridge point in FLOPs per byte: below it a step is memory-bound.</summary>
    public double Ridge(ComputeDtype dtype, bool applyEfficiency = false) => Peak(dtype, applyEfficiency) / Bandwidth(applyEfficiency);

    /// <summary>Reads a GPU from JSON (the catalog's format: <c>peak_tflops</c>, <c>memory_gb</c>, <c>memory_bandwidth_gbps</c>, …).</summary>
    /// <exception cref="ModelConfigException">The element is not an object, or a field is missing or has the wrong type or range; names the field and value.</exception>
    public static GpuSpec FromJson(JsonElement e, string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new ModelConfigException(source, null, $"a GPU must be a JSON object, not {Shown(e)}");
        }

        double Number(string key) => e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && d > 0 && double.IsFinite(d)
            ? d
            : throw new ModelConfigException(source, key, $"must be a positive number, not {(e.TryGetProperty(key, out var bad) ? Shown(bad) : "absent")}");
        double Efficiency(string key)
        {
            if (!e.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null)
            {
                return 1.0;
            }

            return v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && d is > 0 and <= 1
                ? d
                : throw new ModelConfigException(source, key, $"must be a fraction in (0, 1], not {Shown(v)}");
        }

        string Text(string key, bool required)
        {
            if (e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String)
            {
                return v.GetString()!;
            }

            return required || (e.TryGetProperty(key, out var bad) && bad.ValueKind != JsonValueKind.Null)
                ? throw new ModelConfigException(source, key, $"must be a string, not {(e.TryGetProperty(key, out var shown) ? Shown(shown) : "absent")}")
                : string.Empty;
        }

        var peaks = ImmutableDictionary.CreateBuilder<ComputeDtype, double>();
        if (!e.TryGetProperty("peak_tflops", out var peakJson) || peakJson.ValueKind != JsonValueKind.Object)
        {
            throw new ModelConfigException(source, "peak_tflops",
                $"must be an object of dtype: TFLOP/s (fp32, tf32, bf16, fp16, fp8, fp4), not {(e.TryGetProperty("peak_tflops", out var bad) ? Shown(bad) : "absent")}");
        }

        foreach (var peak in peakJson.EnumerateObject())
        {
            if (!TryDtype(peak.Name, out var dtype) ||
                peak.Value.ValueKind != JsonValueKind.Number || !peak.Value.TryGetDouble(out var tflops) || tflops <= 0 || !double.IsFinite(tflops * 1e12))
            {
                throw new ModelConfigException(source, "peak_tflops." + peak.Name,
                    $"must be a positive TFLOP/s figure for one of fp32, tf32, bf16, fp16, fp8, fp4, not {Shown(peak.Value)}");
            }

            peaks[dtype] = tflops * 1e12;
        }

        var aliases = ImmutableArray.CreateBuilder<string>();
        if (e.TryGetProperty("aliases", out var aliasJson) && aliasJson.ValueKind != JsonValueKind.Null)
        {
            if (aliasJson.ValueKind != JsonValueKind.Array || aliasJson.EnumerateArray().Any(a => a.ValueKind != JsonValueKind.String))
            {
                throw new ModelConfigException(source, "aliases", $"must be a list of strings, not {Shown(aliasJson)}");
            }

            aliases.AddRange(aliasJson.EnumerateArray().Select(a => a.GetString()!.ToLowerInvariant()));
        }

        return new GpuSpec
        {
            Name = Text("name", true),
            Vendor = Text("vendor", false),
            Aliases = aliases.ToImmutable(),
            PeakFlopsPerSecond = peaks.ToImmutable(),
            MemoryBytes = Number("memory_gb") * 1e9,
            MemoryBytesPerSecond = Number("memory_bandwidth_gbps") * 1e9,
            Interconnect = Text("interconnect", false),
            InterconnectBytesPerSecond = Number("interconnect_gbps") * 1e9,
            Source = Text("source", false),
            FlopsEfficiency = Efficiency("flops_efficiency"),
            BandwidthEfficiency = Efficiency("bandwidth_efficiency"),
        };
    }

    /// <summary>Writes this GPU as one JSON object in the format <see cref="FromJson"/> reads (the catalog's), efficiencies included.</summary>
    public void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("name", Name);
        writer.WriteString("vendor", Vendor);
        writer.WriteStartArray("aliases");
        foreach (var alias in Aliases)
        {
            writer.WriteStringValue(alias);
        }

        writer.WriteEndArray();
        writer.WriteStartObject("peak_tflops");
        foreach (var (dtype, peak) in PeakFlopsPerSecond.OrderBy(p => p.Key))
        {
            writer.WriteNumber(dtype.ToString().ToLowerInvariant(), peak / 1e12);
        }

        writer.WriteEndObject();
        writer.WriteNumber("memory_gb", MemoryBytes / 1e9);
        writer.WriteNumber("memory_bandwidth_gbps", MemoryBytesPerSecond / 1e9);
        writer.WriteString("interconnect", Interconnect);
        writer.WriteNumber("interconnect_gbps", InterconnectBytesPerSecond / 1e9);
        writer.WriteNumber("flops_efficiency", FlopsEfficiency);
        writer.WriteNumber("bandwidth_efficiency", BandwidthEfficiency);
        writer.WriteString("source", Source);
        writer.WriteEndObject();
    }

    // Implementation note: Enum.TryParse also takes "3" or "fp8, fp16"; only the dtype names are accepted.
    private static bool TryDtype(string name, out ComputeDtype dtype)
    {
        foreach (var candidate in Enum.GetValues<ComputeDtype>())
        {
            if (string.Equals(candidate.ToString(), name, StringComparison.OrdinalIgnoreCase))
            {
                dtype = candidate;
                return true;
            }
        }

        dtype = default;
        return false;
    }

    private static string Shown(JsonElement value)
    {
        var raw = value.GetRawText();
        return raw.Length <= 60 ? raw : string.Concat(raw.AsSpan(0, 57), "...");
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name}: {Units.Bytes(MemoryBytes)}, {Units.Bandwidth(MemoryBytesPerSecond)}, {string.Join(", ", PeakFlopsPerSecond.OrderBy(p => p.Key).Select(p => $"{p.Key.ToString().ToLowerInvariant()} {Units.FlopRate(p.Value)}"))}");

    private static double Fraction(double value, string name) =>
        value is > 0 and <= 1 ? value : throw new InvalidValueException(name, value, "an efficiency is a fraction in (0, 1]");
}

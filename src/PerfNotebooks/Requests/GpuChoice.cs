using PerfNotebooks.Hardware;
using PerfNotebooks.Models;

namespace PerfNotebooks.Requests;

/// <summary>
/// The GPU a request runs on: a catalog GPU or a GPU JSON file, with measured efficiencies (from the file or stated
/// on the command line) and an optional compute-dtype override. Efficiencies below 1 apply to every time figure.
/// </summary>
public sealed record GpuChoice
{
    /// <summary>The GPU used when none is given.</summary>
    public const string DefaultName = "H100-SXM";

    /// <summary>The default choice: <see cref="DefaultName"/> at datasheet peaks.</summary>
    public static GpuChoice Default { get; } = new() { Gpu = GpuCatalog.Find(DefaultName) };

    /// <summary>The GPU, with the efficiencies that apply.</summary>
    public required GpuSpec Gpu { get; init; }

    /// <summary>The compute dtype to use instead of the one the engine settings imply, or null.</summary>
    public ComputeDtype? ComputeDtype { get; init; }

    /// <summary>Whether times use the stated efficiencies (true when either is below 1).</summary>
    public bool ApplyEfficiency => Gpu.HasMeasuredEfficiency;

    /// <summary>Parses a catalog GPU name or alias, or the path of a GPU JSON file.</summary>
    /// <param name="nameOrPath">E.g. <c>H100-SXM</c> or <c>my-gpu.json</c>.</param>
    /// <param name="choice">The GPU at its own (file) efficiencies.</param>
    /// <param name="error">Why it cannot be used, naming the file and field (empty on success).</param>
    public static bool TryParse(string? nameOrPath, out GpuChoice choice, out string error)
    {
        choice = Default;
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(nameOrPath))
        {
            error = $"--gpu needs a catalog GPU ({string.Join(", ", GpuCatalog.All.Select(g => g.Name))}) or a GPU JSON file";
            return false;
        }

        try
        {
            choice = new GpuChoice { Gpu = GpuCatalog.Find(nameOrPath) };
            return true;
        }
        catch (Exception e) when (e is ModelConfigException or IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            error = e.Message;
            return false;
        }
    }

    /// <summary>Parses a compute dtype: <c>fp32</c>, <c>tf32</c>, <c>bf16</c>, <c>fp16</c>, <c>fp8</c>, <c>fp4</c>.</summary>
    public static bool TryParseComputeDtype(string? text, out ComputeDtype dtype, out string error)
    {
        error = string.Empty;
        if (text is not null && !int.TryParse(text, out _) && Enum.TryParse(text, ignoreCase: true, out dtype) && Enum.IsDefined(dtype))
        {
            return true;
        }

        dtype = default;
        error = $"must be one of {string.Join(", ", Enum.GetNames<ComputeDtype>().Select(n => n.ToLowerInvariant()))}, not '{text}'";
        return false;
    }

    /// <summary>This choice with stated efficiencies (null keeps the GPU's own).</summary>
    public GpuChoice WithEfficiency(double? flopsEfficiency, double? bandwidthEfficiency) => this with
    {
        Gpu = Gpu with
        {
            FlopsEfficiency = flopsEfficiency ?? Gpu.FlopsEfficiency,
            BandwidthEfficiency = bandwidthEfficiency ?? Gpu.BandwidthEfficiency,
        },
    };

    /// <inheritdoc />
    public override string ToString() => Gpu.Name + (ApplyEfficiency ? FormattableString.Invariant(
        $" (efficiency {Gpu.FlopsEfficiency:0.###} FLOP/s, {Gpu.BandwidthEfficiency:0.###} bandwidth)") : string.Empty) +
        (ComputeDtype is { } d ? " " + d.ToString().ToLowerInvariant() : string.Empty);
}

using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PerfNotebooks.Physical;
namespace PerfNotebooks.Measured;

/// <summary>
/// Per-category scale factors on the expected kernel times for one GPU and engine version, fitted to measured steps or
/// a profiler trace (<see cref="CalibrationFit"/>), with the fit's residual error. Apply it to a kernel timer with
/// <see cref="Apply"/>; save and load it as a small JSON file that <c>--calibration FILE</c> takes.
/// </summary>
/// <remarks>File format: <c>{"gpu": "H100-SXM", "engine": "vLLM 0.11.0", "source": "…", "scales": {"gemm": 1.12, …},
/// "fit": {"steps": 40, "rms_relative_error_before": 0.31, "rms_relative_error_after": 0.06}}</c>; a category not listed
/// keeps scale 1. Expert-parallel all-to-all and pipeline transfers are timed by the link model, not the kernel timer,
/// so the <c>collective</c> scale reaches only tensor-parallel all-reduces.</remarks>
public sealed record Calibration
{
    /// <summary>The GPU the factors were fitted on (catalog name).</summary>
    public required string Gpu { get; init; }

    /// <summary>The engine and version they were fitted for, as the user gave it (<c>vLLM 0.11.0</c>).</summary>
    public string Engine { get; init; } = string.Empty;

    /// <summary>Where the measurements came from.</summary>
    public string Source { get; init; } = string.Empty;

    /// <summary>Scale per category (measured ÷ expected); absent categories are 1.</summary>
    public ImmutableDictionary<KernelCategory, double> Scales { get; init; } = ImmutableDictionary<KernelCategory, double>.Empty;

    /// <summary>Steps the fit used.</summary>
    public long Steps { get; init; }

    /// <summary>Root-mean-square relative error of the expected step time on the fitted steps before calibrating.</summary>
    public double RmsRelativeErrorBefore { get; init; }

    /// <summary>The same after calibrating: the fit's residual error.</summary>
    public double RmsRelativeErrorAfter { get; init; }

    /// <summary>The scale of <paramref name="category"/> (1 when not fitted).</summary>
    public double Scale(KernelCategory category) => Scales.TryGetValue(category, out var s) ? s : 1.0;

    /// <summary>A timer whose times are <paramref name="timer"/>'s scaled per category.</summary>
    public IKernelTimer Apply(IKernelTimer timer)
    {
        ArgumentNullException.ThrowIfNull(timer);
        return new CalibratedKernelTimer(timer, this);
    }

    /// <summary>Reads a calibration file.</summary>
    /// <exception cref="InvalidDataException">Not a calibration file; the message names the file and field.</exception>
    public static Calibration Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"calibration file '{path}' not found", path);
        }

        JsonObject? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not JSON ({e.Message.Split('.')[0]})", e);
        }

        if (root is null)
        {
            throw new InvalidDataException($"{path}: a calibration file is a JSON object");
        }

        if (root["gpu"] is not JsonValue g || g.GetValueKind() != JsonValueKind.String)
        {
            throw new InvalidDataException($"{path}: field 'gpu' (a GPU name) is missing");
        }

        var scales = ImmutableDictionary.CreateBuilder<KernelCategory, double>();
        if (root["scales"] is JsonObject s)
        {
            foreach (var (key, value) in s)
            {
                if (!KernelClassifier.TryParseKey(key, out var category))
                {
                    throw new InvalidDataException($"{path}: scales.{key} is not a category ({string.Join(", ", KernelClassifier.All.Select(KernelClassifier.Key))})");
                }

                if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || v.GetValue<double>() is var d && !(d > 0 && double.IsFinite(d)))
                {
                    throw new InvalidDataException($"{path}: scales.{key} must be a positive number, not {value?.ToJsonString() ?? "null"}");
                }

                scales[category] = d;
            }
        }
        else
        {
            throw new InvalidDataException($"{path}: field 'scales' (an object of category: factor) is missing");
        }

        var fit = root["fit"] as JsonObject;
        return new Calibration
        {
            Gpu = g.GetValue<string>(),
            Engine = root["engine"]?.GetValue<string>() ?? string.Empty,
            Source = root["source"]?.GetValue<string>() ?? string.Empty,
            Scales = scales.ToImmutable(),
            Steps = fit?["steps"]?.GetValue<long>() ?? 0,
            RmsRelativeErrorBefore = fit?["rms_relative_error_before"]?.GetValue<double>() ?? 0,
            RmsRelativeErrorAfter = fit?["rms_relative_error_after"]?.GetValue<double>() ?? 0,
        };
    }

    /// <summary>Writes the calibration file.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        File.WriteAllText(path, ToJson() + "\n");
    }

    /// <summary>The file's JSON.</summary>
    public string ToJson()
    {
        var scales = new JsonObject();
        foreach (var c in KernelClassifier.All.Where(Scales.ContainsKey))
        {
            scales[KernelClassifier.Key(c)] = Math.Round(Scales[c], 4);
        }

        var root = new JsonObject
        {
            ["gpu"] = Gpu,
            ["engine"] = Engine,
            ["source"] = Source,
            ["scales"] = scales,
            ["fit"] = new JsonObject
            {
                ["steps"] = Steps,
                ["rms_relative_error_before"] = Math.Round(RmsRelativeErrorBefore, 4),
                ["rms_relative_error_after"] = Math.Round(RmsRelativeErrorAfter, 4),
            },
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var scales = string.Join(", ", KernelClassifier.All.Where(Scales.ContainsKey)
            .Select(c => string.Create(CultureInfo.InvariantCulture, $"{KernelClassifier.Key(c)} ×{Scales[c]:0.###}")));
        return string.Create(CultureInfo.InvariantCulture,
            $"calibration {Gpu}{(Engine.Length > 0 ? " " + Engine : string.Empty)}: {scales} (rms error {RmsRelativeErrorBefore:P0} → {RmsRelativeErrorAfter:P0} on {Steps} steps)");
    }
}

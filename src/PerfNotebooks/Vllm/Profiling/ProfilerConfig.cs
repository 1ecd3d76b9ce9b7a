using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using PerfNotebooks.Models;

namespace PerfNotebooks.Vllm.Profiling;

/// <summary>
/// vLLM's <c>ProfilerConfig</c> (the <c>--profiler-config</c> JSON): which profiler, where traces go, what they record,
/// and how many iterations to skip and capture. Build it with <see cref="Validate(JsonObject, ProfilerEnvironment)"/>,
/// which applies vLLM's field checks, warning, cross-field rules and directory normalisation.
/// </summary>
public sealed record ProfilerConfig
{
    private static readonly string[] BoolFields =
    [
        "torch_profiler_with_stack", "torch_profiler_with_flops", "torch_profiler_use_gzip",
        "torch_profiler_dump_cuda_time_total", "torch_profiler_record_shapes", "torch_profiler_with_memory", "ignore_frontend",
    ];

    /// <summary>The field names, in vLLM's order.</summary>
    public static ImmutableArray<string> FieldNames { get; } =
    [
        "profiler", "torch_profiler_dir", .. BoolFields[..6], "ignore_frontend", "delay_iterations", "max_iterations",
    ];

    /// <summary><c>profiler</c>: <c>torch</c>, <c>cuda</c> or null (off).</summary>
    public string? Profiler { get; init; }

    /// <summary><c>torch_profiler_dir</c>: an absolute path or a URI (<c>s3://…</c>) after normalisation.</summary>
    public string TorchProfilerDir { get; init; } = string.Empty;

    /// <summary><c>torch_profiler_with_stack</c>.</summary>
    public bool TorchProfilerWithStack { get; init; } = true;

    /// <summary><c>torch_profiler_with_flops</c>.</summary>
    public bool TorchProfilerWithFlops { get; init; }

    /// <summary><c>torch_profiler_use_gzip</c>.</summary>
    public bool TorchProfilerUseGzip { get; init; } = true;

    /// <summary><c>torch_profiler_dump_cuda_time_total</c>.</summary>
    public bool TorchProfilerDumpCudaTimeTotal { get; init; } = true;

    /// <summary><c>torch_profiler_record_shapes</c>.</summary>
    public bool TorchProfilerRecordShapes { get; init; }

    /// <summary><c>torch_profiler_with_memory</c>.</summary>
    public bool TorchProfilerWithMemory { get; init; }

    /// <summary><c>ignore_frontend</c>: skip the API server's CPU profiler.</summary>
    public bool IgnoreFrontend { get; init; }

    /// <summary><c>delay_iterations</c>: engine iterations to skip before profiling (≥ 0).</summary>
    public long DelayIterations { get; init; }

    /// <summary><c>max_iterations</c>: iterations to profile, 0 for no limit (≥ 0).</summary>
    public long MaxIterations { get; init; }

    /// <summary>Parses and validates <c>--profiler-config</c> JSON text.</summary>
    /// <exception cref="ModelConfigException">The text is not a JSON object.</exception>
    public static ProfilerValidation Validate(string json, ProfilerEnvironment environment)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ModelConfigException("--profiler-config", null, $"is not valid JSON: {e.Message}", e);
        }

        return node is JsonObject obj
            ? Validate(obj, environment)
            : throw new ModelConfigException("--profiler-config", null, "must be a JSON object");
    }

    /// <summary>
    /// Validates the set fields (the rest take vLLM's defaults) as vLLM does: field checks first (profiler literal,
    /// types, iteration counts ≥ 0); then the high-overhead warning (torch profiler with a delay or limit while the
    /// frontend is profiled); then the directory rules (set exactly when the profiler is torch); then the directory is
    /// normalised to <c>abspath(expanduser(dir))</c> unless it is a URI (<c>scheme://</c> with a scheme longer than one character).
    /// </summary>
    public static ProfilerValidation Validate(JsonObject input, ProfilerEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(environment);
        var failing = new List<string>();
        var config = new ProfilerConfig();
        foreach (var (key, value) in input)
        {
            switch (key)
            {
                case "profiler":
                    if (value is null)
                    {
                        config = config with { Profiler = null };
                    }
                    else if (AsString(value) is "torch" or "cuda")
                    {
                        config = config with { Profiler = AsString(value) };
                    }
                    else
                    {
                        failing.Add(key);
                    }

                    break;
                case "torch_profiler_dir":
                    if (AsString(value) is { } dir)
                    {
                        config = config with { TorchProfilerDir = dir };
                    }
                    else
                    {
                        failing.Add(key);
                    }

                    break;
                case "delay_iterations" or "max_iterations":
                    var count = ConfigNumber.From(value);
                    if (count is { Kind: ConfigNumberKind.Whole, Value: >= 0 } && value is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
                    {
                        config = key == "delay_iterations" ? config with { DelayIterations = count.Value } : config with { MaxIterations = count.Value };
                    }
                    else
                    {
                        failing.Add(key);
                    }

                    break;
                default:
                    if (Array.IndexOf(BoolFields, key) >= 0 && value is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
                    {
                        config = config.WithFlag(key, b.GetValue<bool>());
                    }
                    else
                    {
                        failing.Add(key);
                    }

                    break;
            }
        }

        if (failing.Count > 0)
        {
            return new ProfilerValidation(null, false, new ProfilerError(
                "field", $"invalid profiler config field(s): {string.Join(", ", failing.Select(f => $"{f}={input[f]?.ToJsonString() ?? "null"}"))}; " +
                         "profiler is 'torch', 'cuda' or null, iteration counts are integers >= 0, flags are booleans",
                [.. failing]));
        }

        var warning = config.Profiler == "torch" && (config.DelayIterations > 0 || config.MaxIterations > 0) && !config.IgnoreFrontend;
        var directory = config.TorchProfilerDir;
        if (directory.Length > 0 && config.Profiler != "torch")
        {
            return Rejected(warning, "torch_profiler_dir is only applicable when profiler is set to 'torch'");
        }

        if (config.Profiler == "torch" && directory.Length == 0)
        {
            return Rejected(warning, "torch_profiler_dir must be set when profiler is 'torch'");
        }

        if (directory.Length > 0 && !IsUri(directory))
        {
            config = config with
            {
                TorchProfilerDir = PosixPath.AbsPath(PosixPath.ExpandUser(directory, environment.Home), environment.CurrentDirectory),
            };
        }

        return new ProfilerValidation(config, warning, null);
    }

    /// <summary>Whether vLLM keeps a directory verbatim as a URI: it contains <c>://</c> after a scheme longer than one character (not a drive letter).</summary>
    public static bool IsUri(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var at = path.IndexOf("://", StringComparison.Ordinal);
        return at > 1;
    }

    /// <summary>The config as vLLM's <c>--profiler-config</c> JSON object, snake_case fields in vLLM's order.</summary>
    public JsonObject ToJson() => new()
    {
        ["profiler"] = Profiler,
        ["torch_profiler_dir"] = TorchProfilerDir,
        ["torch_profiler_with_stack"] = TorchProfilerWithStack,
        ["torch_profiler_with_flops"] = TorchProfilerWithFlops,
        ["torch_profiler_use_gzip"] = TorchProfilerUseGzip,
        ["torch_profiler_dump_cuda_time_total"] = TorchProfilerDumpCudaTimeTotal,
        ["torch_profiler_record_shapes"] = TorchProfilerRecordShapes,
        ["torch_profiler_with_memory"] = TorchProfilerWithMemory,
        ["ignore_frontend"] = IgnoreFrontend,
        ["delay_iterations"] = DelayIterations,
        ["max_iterations"] = MaxIterations,
    };

    /// <inheritdoc />
    public override string ToString() => ToJson().ToJsonString();

    private static ProfilerValidation Rejected(bool warning, string message) =>
        new(null, warning, new ProfilerError("validator", message, []));

    private static string? AsString(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue(out string? text) ? text : null;

    private ProfilerConfig WithFlag(string key, bool value) => key switch
    {
        "torch_profiler_with_stack" => this with { TorchProfilerWithStack = value },
        "torch_profiler_with_flops" => this with { TorchProfilerWithFlops = value },
        "torch_profiler_use_gzip" => this with { TorchProfilerUseGzip = value },
        "torch_profiler_dump_cuda_time_total" => this with { TorchProfilerDumpCudaTimeTotal = value },
        "torch_profiler_record_shapes" => this with { TorchProfilerRecordShapes = value },
        "torch_profiler_with_memory" => this with { TorchProfilerWithMemory = value },
        _ => this with { IgnoreFrontend = value },
    };
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PerfNotebooks.Models;

namespace PerfNotebooks.Vllm.Interop;

/// <summary>Reads the golden-file JSON shapes (engine settings, requests) into core types, with clear errors.</summary>
internal static class JsonInput
{
    /// <summary>Reads an <c>engine</c> object: vLLM flag names, unknown keys ignored.</summary>
    /// <exception cref="FormatException">A value has the wrong type; the message names the key and value.</exception>
    public static EngineSettings Engine(JsonObject? engine)
    {
        if (engine is null)
        {
            return EngineSettings.Default;
        }

        var settings = new EngineSettings
        {
            Dtype = OptionalString(engine, "dtype") ?? "auto",
            KvCacheDtype = OptionalString(engine, "kv_cache_dtype") ?? "auto",
            Quantization = OptionalString(engine, "quantization"),
            EnableExpertParallel = OptionalBool(engine, "enable_expert_parallel") ?? false,
            DisableSlidingWindow = OptionalBool(engine, "disable_sliding_window") ?? false,
            HfOverrides = engine.TryGetPropertyValue("hf_overrides", out var o) ? o as JsonObject ?? (o is null ? null : throw Bad("hf_overrides", o, "an object")) : null,
        };

        foreach (var (key, set) in new (string, Func<EngineSettings, int, EngineSettings>)[]
                 {
                     ("tensor_parallel_size", (s, v) => s with { TensorParallel = v }),
                     ("pipeline_parallel_size", (s, v) => s with { PipelineParallel = v }),
                     ("data_parallel_size", (s, v) => s with { DataParallel = v }),
                 })
        {
            if (engine.TryGetPropertyValue(key, out var node) && node is not null)
            {
                var value = Count(node, key);
                if (value is < 1 or > int.MaxValue)
                {
                    throw new EngineConfigException(EngineErrorKind.InvalidParallelSize, key, value.ToString(CultureInfo.InvariantCulture),
                        $"{key} must be a whole number of at least 1, not {value.ToString(CultureInfo.InvariantCulture)}.");
                }

                settings = set(settings, (int)value);
            }
        }

        return settings;
    }

    /// <summary>Reads a non-negative integer value.</summary>
    /// <exception cref="FormatException">The value is not an integer.</exception>
    public static long Count(JsonNode? node, string key)
    {
        var number = ConfigNumber.From(node);
        return number.Kind == ConfigNumberKind.Whole && node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            ? number.Value
            : throw Bad(key, node, "an integer");
    }

    /// <summary>Reads a finite number (seconds, a fraction).</summary>
    /// <exception cref="FormatException">The value is not a finite JSON number; the message names the key and value.</exception>
    public static double Number(JsonNode? node, string key) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number &&
        double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
            ? d
            : throw Bad(key, node, "a number");

    /// <summary>Reads a boolean value.</summary>
    /// <exception cref="FormatException">The value is not a boolean.</exception>
    public static bool Bool(JsonNode? node, string key) =>
        node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? v.GetValue<bool>()
            : throw Bad(key, node, "true or false");

    /// <summary>Reads a string value.</summary>
    /// <exception cref="FormatException">The value is not a string.</exception>
    public static string Text(JsonNode? node, string key) =>
        node is JsonValue v && v.TryGetValue(out string? s) ? s : throw Bad(key, node, "a string");

    private static string? OptionalString(JsonObject obj, string key) =>
        obj.TryGetPropertyValue(key, out var node) && node is not null ? Text(node, key) : null;

    private static bool? OptionalBool(JsonObject obj, string key) =>
        obj.TryGetPropertyValue(key, out var node) && node is not null ? Bool(node, key) : null;

    internal static FormatException Bad(string key, JsonNode? node, string expected) =>
        new($"'{key}' must be {expected}, not {Shown(node)}");

    private static string Shown(JsonNode? node)
    {
        var raw = node?.ToJsonString() ?? "null";
        return raw.Length <= 80 ? raw : string.Concat(raw.AsSpan(0, 77), "...");
    }
}

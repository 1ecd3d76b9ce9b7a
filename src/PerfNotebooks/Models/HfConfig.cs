using System.Text.Json;
using System.Text.Json.Nodes;

namespace PerfNotebooks.Models;

/// <summary>
/// A Hugging Face <c>config.json</c> as loaded: the root object and the text sub-config the language model reads
/// (the first non-null of <c>text_encoder</c>, <c>decoder</c>, <c>generator</c>, <c>text_config</c>, else the root, as
/// transformers' <c>get_text_config</c>). Keys keep Python's attribute semantics: a key set to null exists with value
/// None. <see cref="Text"/> is the attribute view vLLM reads through transformers' config class
/// (<see cref="ConfigClassRules"/>: <c>attribute_map</c> aliases, computed attributes).
/// </summary>
public sealed class HfConfig
{
    private HfConfig(string source, JsonObject root)
    {
        Source = source;
        Root = root;
        RawText = SelectText(root);
        Text = ConfigClassRules.Apply(RawText, root);
    }

    /// <summary>The text sub-config exactly as the file has it (no config-class behaviour applied).</summary>
    public JsonObject RawText { get; }

    /// <summary>The <c>model_type</c> of the text config (its own, else the root's).</summary>
    public string? TextModelType => String(Text, "model_type") ?? ModelType;

    private static JsonObject SelectText(JsonObject root)
    {
        foreach (var key in (ReadOnlySpan<string>)["text_encoder", "decoder", "generator", "text_config"])
        {
            if (root.TryGetPropertyValue(key, out var node) && node is JsonObject sub)
            {
                return sub;
            }
        }

        return root;
    }

    /// <summary>Where the config came from (a path or a catalog name), for messages.</summary>
    public string Source { get; }

    /// <summary>The top-level object.</summary>
    public JsonObject Root { get; }

    /// <summary>The language model's sub-config as vLLM reads its attributes (aliases and computed attributes applied).</summary>
    public JsonObject Text { get; }

    /// <summary>The top-level <c>model_type</c>, when present.</summary>
    public string? ModelType => Root.TryGetPropertyValue("model_type", out var node) && node is JsonValue v &&
                                v.TryGetValue(out string? type) ? type : null;

    /// <summary>Loads a <c>config.json</c> file, or the <c>config.json</c> inside a folder.</summary>
    /// <exception cref="ModelConfigException">The file is missing, unreadable, not a regular file, over 8 MiB or not a JSON object.</exception>
    public static HfConfig Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        _ = path.Length > 0 ? path : throw new InvalidValueException("model", path, "must be a config path");
        var file = Directory.Exists(path) ? Path.Combine(path, "config.json") : path;
        if (!File.Exists(file))
        {
            throw new ModelConfigException(file, null, Directory.Exists(path)
                ? "the folder holds no config.json"
                : "no such file");
        }

        return Parse(ConfigFile.ReadText(file), file);
    }

    /// <summary>Parses config JSON text.</summary>
    /// <exception cref="ModelConfigException">The text is not a JSON object.</exception>
    public static HfConfig Parse(string json, string source)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new ModelConfigException(source, null, $"is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {OneLine(e.Message)}", e);
        }

        return node is JsonObject root
            ? new HfConfig(source, root)
            : throw new ModelConfigException(source, null, "must hold a JSON object");
    }

    /// <summary>
    /// Applies vLLM's <c>--hf-overrides</c> (dict form): a non-object value sets or adds a top-level key (null sets
    /// None); an object for a nested sub-config (<c>text_config</c>, …) merges into it recursively; any other object
    /// (<c>quantization_config</c>) replaces the key. Returns a new config; this one is unchanged.
    /// </summary>
    public HfConfig WithOverrides(JsonObject? overrides)
    {
        if (overrides is null || overrides.Count == 0)
        {
            return this;
        }

        var root = (JsonObject)Root.DeepClone();
        Merge(root, overrides);
        return new HfConfig(Source, root);
    }

    private static void Merge(JsonObject target, JsonObject overrides)
    {
        foreach (var (key, value) in overrides)
        {
            if (value is JsonObject nested && IsSubConfig(key) &&
                target.TryGetPropertyValue(key, out var existing) && existing is JsonObject existingObject)
            {
                Merge(existingObject, nested);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }

    // Implementation note: in transformers, sub-configs are PretrainedConfig objects named *_config; the
    // quantization and compression configs are plain dicts, which vLLM's override replaces whole.
    private static bool IsSubConfig(string key) =>
        key.EndsWith("_config", StringComparison.Ordinal) && key is not ("quantization_config" or "compression_config");

    /// <summary>Reads an integer attribute of the text config.</summary>
    internal ConfigNumber TextNumber(string key) => ConfigNumber.Read(Text, key);

    /// <summary>Whether the text config has <paramref name="key"/> (Python's <c>hasattr</c>).</summary>
    public bool TextHas(string key) => Text.ContainsKey(key);

    /// <summary>The first of <paramref name="keys"/> the text config has, read as an integer; <paramref name="fallback"/> when none is present.</summary>
    internal ConfigNumber FirstTextNumber(ReadOnlySpan<string> keys, long fallback)
    {
        foreach (var key in keys)
        {
            if (Text.ContainsKey(key))
            {
                return TextNumber(key);
            }
        }

        return ConfigNumber.Of(fallback);
    }

    // Implementation note: System.Text.Json quotes the offending character raw, a newline or a control byte included.
    private static string OneLine(string message) =>
        string.Concat(message.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));

    /// <summary>A string attribute of an object, when present and a string.</summary>
    internal static string? String(JsonObject obj, string key) =>
        obj.TryGetPropertyValue(key, out var node) && node is JsonValue v && v.TryGetValue(out string? s) ? s : null;
}

using System.Collections.Immutable;
using System.Text.Json;
using PerfNotebooks.Models;

namespace PerfNotebooks.Hardware;

/// <summary>The GPUs shipped with the library (datasheet figures with sources), plus user GPUs from JSON files.</summary>
public static class GpuCatalog
{
    private static readonly Lazy<ImmutableArray<GpuSpec>> Gpus = new(() =>
    {
        using var stream = typeof(GpuCatalog).Assembly.GetManifestResourceStream("PerfNotebooks.Hardware.gpus.json")
            ?? throw new InvalidOperationException("gpus.json is not embedded");
        using var doc = JsonDocument.Parse(stream);
        return [.. doc.RootElement.EnumerateArray().Select(e => GpuSpec.FromJson(e, "catalog:gpus.json"))];
    });

    /// <summary>Every catalog GPU.</summary>
    public static ImmutableArray<GpuSpec> All => Gpus.Value;

    /// <summary>Finds a GPU by name or alias, ignoring case.</summary>
    public static bool TryFind(string name, out GpuSpec gpu)
    {
        ArgumentNullException.ThrowIfNull(name);
        gpu = All.FirstOrDefault(g => string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase) ||
                                      g.Aliases.Contains(name.ToLowerInvariant()))!;
        return gpu is not null;
    }

    /// <summary>
    /// A catalog GPU by name or alias, or a GPU JSON file: one object in the catalog's format, or a list holding one
    /// (what <see cref="WriteJson"/> writes for one GPU).
    /// </summary>
    /// <exception cref="ModelConfigException">Neither; the message lists the catalog names.</exception>
    public static GpuSpec Find(string nameOrPath)
    {
        ArgumentNullException.ThrowIfNull(nameOrPath);
        _ = nameOrPath.Length > 0 ? nameOrPath : throw new InvalidValueException("gpu", nameOrPath, "must be a catalog GPU name or a GPU JSON file");
        if (TryFind(nameOrPath, out var gpu))
        {
            return gpu;
        }

        if (File.Exists(nameOrPath))
        {
            return Read(nameOrPath, ConfigFile.ReadText(nameOrPath));
        }

        throw new ModelConfigException(nameOrPath, null,
            $"not a catalog GPU or a GPU JSON file; catalog GPUs are: {string.Join(", ", All.Select(g => g.Name))}");
    }

    /// <summary>Reads one GPU from JSON text: an object, or a list of exactly one object.</summary>
    /// <exception cref="ModelConfigException">The text is not JSON, or not one GPU; names <paramref name="source"/>, the field and the value.</exception>
    public static GpuSpec Read(string source, string json)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                var count = root.GetArrayLength();
                if (count != 1)
                {
                    var names = root.EnumerateArray()
                        .Select(g => g.ValueKind == JsonValueKind.Object && g.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : "?")
                        .Take(8);
                    throw new ModelConfigException(source, null, count == 0
                        ? "holds an empty list; a GPU file holds one GPU object"
                        : $"holds {count} GPUs ({string.Join(", ", names)}{(count > 8 ? ", ..." : string.Empty)}); a GPU file holds one GPU object (or a list of one)");
                }

                return GpuSpec.FromJson(root[0], source);
            }

            return GpuSpec.FromJson(root, source);
        }
        catch (JsonException e)
        {
            throw new ModelConfigException(source, null, $"is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})", e);
        }
    }

    /// <summary>Writes <paramref name="gpus"/> as a JSON list in the catalog's format, which <see cref="Read"/> and <see cref="Find"/> read back (a list of one).</summary>
    public static void WriteJson(Utf8JsonWriter writer, IEnumerable<GpuSpec> gpus)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(gpus);
        writer.WriteStartArray();
        foreach (var gpu in gpus)
        {
            gpu.WriteJson(writer);
        }

        writer.WriteEndArray();
    }

    /// <summary>Reads every GPU of a JSON list in the catalog's format (what <see cref="WriteJson"/> writes).</summary>
    /// <exception cref="ModelConfigException">The text is not a JSON list of GPU objects; names <paramref name="source"/>, the field and the value.</exception>
    public static ImmutableArray<GpuSpec> ReadAll(string source, string json)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Array
                ? [.. doc.RootElement.EnumerateArray().Select(e => GpuSpec.FromJson(e, source))]
                : throw new ModelConfigException(source, null, $"must hold a JSON list of GPU objects, not a {doc.RootElement.ValueKind.ToString().ToLowerInvariant()}");
        }
        catch (JsonException e)
        {
            throw new ModelConfigException(source, null, $"is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})", e);
        }
    }
}

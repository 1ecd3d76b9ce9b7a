using System.Collections.Immutable;
using System.Text.Json;
using PerfNotebooks.Configuration;

namespace PerfNotebooks;

/// <summary>The GPUs shipped with the library (datasheet figures with sources), plus user GPUs from JSON files.</summary>
public static class GpuCatalog
{
    private static readonly Lazy<ImmutableArray<GpuSpec>> Gpus = new(() =>
    {
        using var stream = typeof(GpuCatalog).Assembly.GetManifestResourceStream("PerfNotebooks.Catalog.gpus.json")
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

    /// <summary>A catalog GPU by name or alias, or a GPU JSON file (one object, the catalog's format).</summary>
    /// <exception cref="ModelConfigException">Neither; the message lists the catalog names.</exception>
    public static GpuSpec Find(string nameOrPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(nameOrPath);
        if (TryFind(nameOrPath, out var gpu))
        {
            return gpu;
        }

        if (File.Exists(nameOrPath))
        {
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(nameOrPath));
                return GpuSpec.FromJson(doc.RootElement, nameOrPath);
            }
            catch (JsonException e)
            {
                throw new ModelConfigException(nameOrPath, null, $"is not valid JSON: {e.Message}", e);
            }
        }

        throw new ModelConfigException(nameOrPath, null,
            $"not a catalog GPU or a GPU JSON file; catalog GPUs are: {string.Join(", ", All.Select(g => g.Name))}");
    }
}

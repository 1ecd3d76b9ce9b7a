using System.Collections.Immutable;
using System.Text.Json;
using PerfNotebooks.Configuration;

namespace PerfNotebooks.Catalog;

/// <summary>The models shipped with the library, addressable by short name or Hugging Face id (case-insensitive).</summary>
public static class ModelCatalog
{
    private static readonly Lazy<ImmutableArray<CatalogModel>> Models = new(Read);

    /// <summary>Every catalog model, in catalog order.</summary>
    public static ImmutableArray<CatalogModel> All => Models.Value;

    /// <summary>Finds a model by short name or Hugging Face id, ignoring case.</summary>
    public static bool TryFind(string nameOrId, out CatalogModel model)
    {
        ArgumentNullException.ThrowIfNull(nameOrId);
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Name, nameOrId, StringComparison.OrdinalIgnoreCase) ||
                string.Equals(candidate.HuggingFaceId, nameOrId, StringComparison.OrdinalIgnoreCase))
            {
                model = candidate;
                return true;
            }
        }

        model = null!;
        return false;
    }

    /// <summary>Finds a model by short name or Hugging Face id.</summary>
    /// <exception cref="ModelConfigException">No catalog model has that name; the message lists the names.</exception>
    public static CatalogModel Find(string nameOrId) => TryFind(nameOrId, out var model)
        ? model
        : throw new ModelConfigException(nameOrId, null,
            $"not a file, a folder or a catalog model; catalog models are: {string.Join(", ", All.Select(m => m.Name))}");

    /// <summary>
    /// Loads a model config from a path (a <c>config.json</c> or a folder holding one) or, when no such path
    /// exists, from the catalog by name or Hugging Face id.
    /// </summary>
    /// <exception cref="ModelConfigException">Neither a readable path nor a catalog model.</exception>
    public static HfConfig Load(string pathOrName)
    {
        ArgumentException.ThrowIfNullOrEmpty(pathOrName);
        return File.Exists(pathOrName) || Directory.Exists(pathOrName)
            ? HfConfig.Load(pathOrName)
            : Find(pathOrName).Load();
    }

    private static ImmutableArray<CatalogModel> Read()
    {
        using var stream = typeof(ModelCatalog).Assembly.GetManifestResourceStream("PerfNotebooks.Catalog.catalog.json")
            ?? throw new InvalidOperationException("catalog.json is not embedded");
        using var doc = JsonDocument.Parse(stream);
        return [.. doc.RootElement.EnumerateArray().Select(e => new CatalogModel(
            e.GetProperty("name").GetString()!, e.GetProperty("hf_id").GetString()!,
            e.GetProperty("file").GetString()!, e.GetProperty("source").GetString()!))];
    }
}

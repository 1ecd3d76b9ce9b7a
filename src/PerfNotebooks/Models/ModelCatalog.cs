using System.Collections.Immutable;
using System.Text.Json;

namespace PerfNotebooks.Models;

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
            $"not a file, a folder, a catalog model or a Hugging Face id (org/name); catalog models are: {string.Join(", ", All.Select(m => m.Name))}");

    /// <summary>
    /// Loads a model config from, in order: a path (a <c>config.json</c> or a folder holding one); the catalog, by
    /// name or Hugging Face id; for an <c>org/name[@revision]</c> id, the local Hugging Face cache and then the hub
    /// (<see cref="HubClient"/>, configured from <c>HF_ENDPOINT</c>, <c>HF_TOKEN</c>, <c>HF_HOME</c>, <c>HF_HUB_OFFLINE</c>).
    /// </summary>
    /// <exception cref="ModelConfigException">Not a path, a catalog model or a hub id.</exception>
    /// <exception cref="HubException">A hub id that is not cached and could not be downloaded.</exception>
    public static HfConfig Load(string pathOrName, HubClient? hub = null)
    {
        ArgumentNullException.ThrowIfNull(pathOrName);
        _ = pathOrName.Length > 0 ? pathOrName : throw new InvalidValueException("model", pathOrName, "must be a config path, a catalog name or a Hugging Face id");
        if (File.Exists(pathOrName) || Directory.Exists(pathOrName))
        {
            return HfConfig.Load(pathOrName);
        }

        if (TryFind(pathOrName, out var model))
        {
            return model.Load();
        }

        var at = pathOrName.IndexOf('@', StringComparison.Ordinal);
        var (repo, revision) = at > 0 ? (pathOrName[..at], pathOrName[(at + 1)..]) : (pathOrName, "main");
        if (!HubClient.IsRepoId(repo) || revision.Length == 0)
        {
            return Find(pathOrName).Load();
        }

        if (hub is not null)
        {
            return hub.Load(repo, revision);
        }

        using var client = new HubClient();
        return client.Load(repo, revision);
    }

    private static ImmutableArray<CatalogModel> Read()
    {
        using var stream = typeof(ModelCatalog).Assembly.GetManifestResourceStream("PerfNotebooks.Models.Catalog.catalog.json")
            ?? throw new InvalidOperationException("catalog.json is not embedded");
        using var doc = JsonDocument.Parse(stream);
        return [.. doc.RootElement.EnumerateArray().Select(e => new CatalogModel(
            e.GetProperty("name").GetString()!, e.GetProperty("hf_id").GetString()!,
            e.GetProperty("file").GetString()!, e.GetProperty("source").GetString()!)
        {
            QuantConfigFile = e.TryGetProperty("hf_quant_config", out var q) ? q.GetProperty("file").GetString() : null,
            QuantConfigSource = e.TryGetProperty("hf_quant_config", out var qs) ? qs.GetProperty("source").GetString() : null,
        })];
    }
}

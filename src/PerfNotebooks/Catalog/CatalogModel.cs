using PerfNotebooks.Configuration;

namespace PerfNotebooks.Catalog;

/// <summary>A real published model config shipped with the library.</summary>
/// <param name="Name">Short name (<c>llama-3.1-70b</c>).</param>
/// <param name="HuggingFaceId">Hugging Face repository id (<c>meta-llama/Llama-3.1-70B</c>).</param>
/// <param name="File">The embedded file's name.</param>
/// <param name="Source">Where the file was copied from, verbatim (repository@commit:path).</param>
public sealed record CatalogModel(string Name, string HuggingFaceId, string File, string Source)
{
    /// <summary>Loads the embedded config.</summary>
    public HfConfig Load()
    {
        using var stream = typeof(CatalogModel).Assembly.GetManifestResourceStream("PerfNotebooks.Catalog.Models." + File)
            ?? throw new InvalidOperationException($"catalog file {File} is not embedded");
        using var reader = new StreamReader(stream);
        return HfConfig.Parse(reader.ReadToEnd(), $"catalog:{Name}");
    }
}

using System.Text.Json.Nodes;

namespace PerfNotebooks.Models;

/// <summary>A real published model config shipped with the library.</summary>
/// <param name="Name">Short name (<c>llama-3.1-70b</c>).</param>
/// <param name="HuggingFaceId">Hugging Face repository id (<c>meta-llama/Llama-3.1-70B</c>).</param>
/// <param name="File">The embedded file's name.</param>
/// <param name="Source">Where the file was copied from, verbatim (repository@commit:path).</param>
public sealed record CatalogModel(string Name, string HuggingFaceId, string File, string Source)
{
    /// <summary>
    /// The embedded <c>hf_quant_config.json</c> of a checkpoint that keeps its quantization outside
    /// <c>config.json</c> (ModelOpt 0.29 and before), or null.
    /// </summary>
    public string? QuantConfigFile { get; init; }

    /// <summary>Where <see cref="QuantConfigFile"/> was copied from, verbatim (repository@commit:path), or null.</summary>
    public string? QuantConfigSource { get; init; }

    /// <summary>
    /// Loads the embedded config. A <see cref="QuantConfigFile"/> becomes the config's <c>quantization_config</c> when
    /// <c>config.json</c> has none, as vLLM's <c>get_config</c> reads <c>hf_quant_config.json</c>.
    /// </summary>
    public HfConfig Load()
    {
        var config = HfConfig.Parse(ReadEmbedded(File), $"catalog:{Name}");
        if (QuantConfigFile is null || config.Root.ContainsKey("quantization_config"))
        {
            return config;
        }

        var quant = HfConfig.Parse(ReadEmbedded(QuantConfigFile), $"catalog:{Name}:{QuantConfigFile}");
        return config.WithOverrides(new JsonObject { ["quantization_config"] = quant.Root.DeepClone() });
    }

    /// <summary>The exact text of an embedded catalog file (a config or a quantization config).</summary>
    /// <exception cref="InvalidOperationException">No catalog file has that name.</exception>
    public static string ReadEmbedded(string file)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        using var stream = typeof(CatalogModel).Assembly.GetManifestResourceStream("PerfNotebooks.Models.Catalog.Configs." + file)
            ?? throw new InvalidOperationException($"catalog file {file} is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PerfNotebooks.Analysis;
using PerfNotebooks.Models;
using PerfNotebooks.Vllm;

namespace PerfNotebooks.Tests;

public class ModelCatalogTests
{
    public static TheoryData<string> SharedConfigs()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Paths.GoldenConfigs, "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SharedConfigs))]
    public void Every_shared_config_is_in_the_catalog_verbatim_and_loads_by_both_names(string name)
    {
        var model = ModelCatalog.Find(name);
        var byId = ModelCatalog.Find(model.HuggingFaceId.ToUpperInvariant());

        Assert.Same(model, byId);
        var shared = HfConfig.Load(Path.Combine(Paths.GoldenConfigs, name + ".json"));
        Assert.Equal(shared.Root.ToJsonString(), model.Load().Root.ToJsonString());
        Assert.Equal(model.Load().Root.ToJsonString(), ModelCatalog.Load(model.HuggingFaceId).Root.ToJsonString());
    }

    [Theory]
    [InlineData("llama-3.1-8b")]
    [InlineData("llama-3.1-70b")]
    [InlineData("llama-3.1-405b")]
    [InlineData("mixtral-8x7b")]
    [InlineData("mixtral-8x22b")]
    [InlineData("qwen3-30b-a3b")]
    [InlineData("qwen3-235b-a22b")]
    [InlineData("qwen3-32b-fp8")]
    [InlineData("gpt-oss-20b")]
    [InlineData("llama-4-scout-17b-16e")]
    [InlineData("llama-4-maverick-17b-128e")]
    public void A_grouped_query_attention_catalog_model_builds_attention_ffn_and_unembedding(string name)
    {
        // Revision-independent: both revisions build these three; the 2026-09 revision also reports mla_attn as
        // not applicable. Per-model fields are pinned in CatalogResolutionTests.
        var metrics = ModelMetrics.Create(ModelSource.Resolve(ModelCatalog.Find(name).Load()));

        Assert.Equal(["attn", "ffn", "unembed"], metrics.Components.Select(c => c.Name));
        Assert.All(metrics.Skipped, s => Assert.Equal("mla_attn", s.Name));
    }

    public static TheoryData<string> CatalogNames()
    {
        var data = new TheoryData<string>();
        foreach (var model in ModelCatalog.All)
        {
            data.Add(model.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CatalogNames))]
    public void Every_catalog_model_loads_by_name_and_by_hugging_face_id_and_names_its_source(string name)
    {
        var model = ModelCatalog.Find(name.ToUpperInvariant());

        Assert.Equal(name, model.Name);
        Assert.Same(model, ModelCatalog.Find(model.HuggingFaceId));
        Assert.Same(model, ModelCatalog.Find(model.HuggingFaceId.ToLowerInvariant()));
        Assert.Matches("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+@[0-9a-f]{40}:[^ ]+\\.json$", model.Source);
        var byName = ModelCatalog.Load(name).Root.ToJsonString();
        Assert.Equal(byName, ModelCatalog.Load(model.HuggingFaceId).Root.ToJsonString());
        Assert.Equal(byName, model.Load().Root.ToJsonString());
    }

    public static TheoryData<string> ShippedFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(ModelsFolder, "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ShippedFiles))]
    public void Every_shipped_file_has_the_sha256_listed_in_sources_md_and_is_embedded_byte_for_byte(string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(ModelsFolder, file));
        var listed = Regex.Matches(File.ReadAllText(Path.Combine(ModelsFolder, "SOURCES.md")),
                $"^\\| `{Regex.Escape(file)}` \\|.*\\| `([0-9a-f]{{64}})` \\|$", RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).ToList();

        Assert.Equal([Convert.ToHexStringLower(SHA256.HashData(bytes))], listed);
        Assert.Equal(bytes, Encoding.UTF8.GetBytes(CatalogModel.ReadEmbedded(file)));
        Assert.Contains(ModelCatalog.All, m => m.File == file || m.QuantConfigFile == file);
    }

    [Fact]
    public void Every_golden_latest_config_is_in_the_catalog_byte_for_byte()
    {
        var folder = Path.GetFullPath(Path.Combine(Paths.RepositoryRoot, "..", "shared", "golden-latest", "configs"));
        var files = Directory.GetFiles(folder, "*.json");

        Assert.Equal(14, files.Length);
        foreach (var shared in files)
        {
            var model = Assert.Single(ModelCatalog.All, m => m.File == Path.GetFileName(shared));
            Assert.Equal(File.ReadAllBytes(shared), File.ReadAllBytes(Path.Combine(ModelsFolder, model.File)));
        }
    }

    [Fact]
    public void A_checkpoint_with_its_quantization_in_hf_quant_config_json_gets_it_as_quantization_config()
    {
        var model = ModelCatalog.Find("nvidia/Llama-3.1-70B-Instruct-FP8");
        var quant = model.Load().Root["quantization_config"]!;

        Assert.Equal("llama-3.1-70b-instruct-fp8.hf_quant_config.json", model.QuantConfigFile);
        Assert.Contains("@", model.QuantConfigSource, StringComparison.Ordinal);
        Assert.Equal("modelopt", (string?)quant["producer"]!["name"]);
        Assert.Equal("FP8", (string?)quant["quantization"]!["quant_algo"]);
        Assert.False(JsonDocument.Parse(CatalogModel.ReadEmbedded(model.File)).RootElement.TryGetProperty("quantization_config", out _));
    }

    [Fact]
    public void A_config_that_carries_its_own_quantization_config_is_loaded_unchanged()
    {
        var model = ModelCatalog.Find("qwen3-32b-fp8");

        Assert.Null(model.QuantConfigFile);
        Assert.Equal("fp8", (string?)model.Load().Root["quantization_config"]!["quant_method"]);
    }

    private static string ModelsFolder => Path.Combine(Paths.RepositoryRoot, "src", "PerfNotebooks", "Models", "Catalog", "Configs");

    [Fact]
    public void Moe_summary_counts_active_parameters_at_top_k()
    {
        var summary = ModelSummary.Of("mixtral-8x7b", ModelSource.Resolve(ModelCatalog.Find("mixtral-8x7b").Load()));

        // attention 32·(4096·(32+16)·128 + 32·128·4096) + experts 3·4096·14336·8·32 + embeddings 2·32000·4096
        // + router 32·4096·8 = 46,702,526,464 (the physical book counts the router; vLLM's perf model does not)
        Assert.Equal(46_702_526_464, summary.Parameters);
        Assert.Equal(12_879_659_008, summary.ActiveParameters);   // experts at top-2, router included
    }

    [Fact]
    public void Catalog_json_entries_are_unique()
    {
        var names = ModelCatalog.All.Select(m => m.Name).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(18, names.Count);
    }
}

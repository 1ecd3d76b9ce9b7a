using System.Text.Json;
using PerfNotebooks.Catalog;
using PerfNotebooks.Configuration;

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

    [Fact]
    public void Every_catalog_entry_names_its_source_and_builds_all_components()
    {
        foreach (var model in ModelCatalog.All)
        {
            Assert.Contains("@", model.Source, StringComparison.Ordinal);
            var metrics = ModelMetrics.Create(ModelSource.Resolve(model.Load()));
            Assert.Empty(metrics.Skipped);
        }
    }

    [Fact]
    public void Moe_summary_counts_active_parameters_at_top_k()
    {
        var summary = ModelSummary.Of("mixtral-8x7b", ModelSource.Resolve(ModelCatalog.Find("mixtral-8x7b").Load()));

        // attention 32·(4096·(32+16)·128 + 32·128·4096) + experts 3·4096·14336·8·32 + embeddings 2·32000·4096
        Assert.Equal(46_701_477_888, summary.Parameters);
        Assert.Equal(12_878_610_432, summary.ActiveParameters);   // experts at top-2
    }

    [Fact]
    public void Catalog_json_entries_are_unique()
    {
        var names = ModelCatalog.All.Select(m => m.Name).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(11, names.Count);
    }
}

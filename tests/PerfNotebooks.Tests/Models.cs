using System.Text.Json.Nodes;
using PerfNotebooks.Models;
using PerfNotebooks.Vllm;

namespace PerfNotebooks.Tests;

/// Small configs and builders shared by the tests.
public static class Models
{
    /// 2 layers, hidden 8, 2 query heads, 1 KV head, head size 4, FFN 16, vocab 10, bf16: small enough to check by hand.
    public const string TinyJson = """
        {"model_type": "llama", "num_hidden_layers": 2, "hidden_size": 8, "num_attention_heads": 2,
         "num_key_value_heads": 1, "head_dim": 4, "intermediate_size": 16, "vocab_size": 10, "torch_dtype": "bfloat16"}
        """;

    public static HfConfig Tiny(string? overrides = null)
    {
        var config = HfConfig.Parse(TinyJson, "tiny.json");
        return overrides is null ? config : config.WithOverrides((JsonObject)JsonNode.Parse(overrides)!);
    }

    public static ModelMetrics Metrics(HfConfig config, EngineSettings? engine = null) =>
        ModelMetrics.Create(ModelSource.Resolve(config, engine));

    public static ModelMetrics Catalog(string name, EngineSettings? engine = null) =>
        Metrics(ModelCatalog.Find(name).Load(), engine);
}

using System.Text.Json.Nodes;

namespace PerfNotebooks.Models;

/// <summary>
/// The behaviour of transformers' config classes that changes an attribute vLLM's perf model reads: a
/// <c>config.json</c> is loaded into a class whose <c>attribute_map</c> aliases names (DBRX's <c>n_heads</c> is read
/// as <c>num_attention_heads</c>), whose constructor fills defaults and computes attributes. This applies the ones
/// listed in <c>docs/vllm-config-resolution.md</c> to a copy of the text config; everything else is read as written.
/// </summary>
internal static class ConfigClassRules
{
    // attribute_map of the config classes (canonical name -> name in config.json), transformers 4.5x/5.x.
    private static readonly Dictionary<string, (string Canonical, string Alias)[]> AttributeMaps = new(StringComparer.Ordinal)
    {
        ["dbrx"] = [("num_attention_heads", "n_heads"), ("hidden_size", "d_model"), ("num_hidden_layers", "n_layers"), ("max_position_embeddings", "max_seq_len")],
        ["mpt"] = [("num_attention_heads", "n_heads"), ("hidden_size", "d_model"), ("num_hidden_layers", "n_layers")],
        ["gpt2"] = [("hidden_size", "n_embd"), ("max_position_embeddings", "n_positions"), ("num_attention_heads", "n_head"), ("num_hidden_layers", "n_layer")],
        ["gpt_bigcode"] = [("hidden_size", "n_embd"), ("max_position_embeddings", "n_positions"), ("num_attention_heads", "n_head"), ("num_hidden_layers", "n_layer")],
        ["gptj"] = [("hidden_size", "n_embd"), ("max_position_embeddings", "n_positions"), ("num_attention_heads", "n_head"), ("num_hidden_layers", "n_layer")],
        ["bloom"] = [("num_hidden_layers", "n_layer"), ("num_attention_heads", "n_head")],
    };

    // Constructor defaults of the same classes for the keys above, used when neither name is in config.json.
    private static readonly Dictionary<string, (string Key, long Value)[]> Defaults = new(StringComparer.Ordinal)
    {
        ["dbrx"] = [("d_model", 2048), ("n_heads", 16), ("n_layers", 24), ("vocab_size", 32000)],
        ["mpt"] = [("d_model", 2048), ("n_heads", 16), ("n_layers", 24), ("vocab_size", 50368)],
        ["gpt2"] = [("n_embd", 768), ("n_head", 12), ("n_layer", 12), ("vocab_size", 50257)],
        ["gpt_bigcode"] = [("n_embd", 768), ("n_head", 12), ("n_layer", 12), ("vocab_size", 50257)],
        ["gptj"] = [("n_embd", 4096), ("n_head", 16), ("n_layer", 28), ("vocab_size", 50400)],
    };

    /// <summary>
    /// Returns <paramref name="text"/> as its config class exposes it (the same object when no rule applies):
    /// aliases and defaults above; DBRX's <c>num_key_value_heads</c> = <c>attn_config.kv_n_heads</c> (default 1);
    /// Qwen2/Qwen3/Qwen3-MoE keep <c>sliding_window</c> only when <c>use_sliding_window</c> is true; Qwen3-VL text
    /// configs have <c>sliding_window</c> None.
    /// </summary>
    public static JsonObject Apply(JsonObject text, JsonObject root)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(root);
        var type = HfConfig.String(text, "model_type") ?? (ReferenceEquals(text, root) ? null : HfConfig.String(root, "model_type"));
        if (type is null)
        {
            return text;
        }

        JsonObject? copy = null;
        JsonObject Copy() => copy ??= (JsonObject)text.DeepClone();

        if (Defaults.TryGetValue(type, out var defaults))
        {
            foreach (var (key, value) in defaults)
            {
                if (!text.ContainsKey(key) && !(AttributeMaps[type].FirstOrDefault(m => m.Alias == key) is { Canonical: { } c } && text.ContainsKey(c)))
                {
                    Copy()[key] = value;
                }
            }
        }

        if (AttributeMaps.TryGetValue(type, out var map))
        {
            foreach (var (canonical, alias) in map)
            {
                var source = copy ?? text;
                if (!source.ContainsKey(canonical) && source.TryGetPropertyValue(alias, out var value))
                {
                    Copy()[canonical] = value?.DeepClone();
                }
            }
        }

        switch (type)
        {
            case "dbrx":
                var kv = text["attn_config"] is JsonObject attn && attn.TryGetPropertyValue("kv_n_heads", out var heads) ? heads?.DeepClone() : JsonValue.Create(1);
                Copy()["num_key_value_heads"] = kv;
                break;
            case "qwen2" or "qwen3" or "qwen3_moe":
                if (ConfigNumber.Read(text, "use_sliding_window") is not { Kind: ConfigNumberKind.Whole, Value: not 0 } &&
                    text.TryGetPropertyValue("sliding_window", out var window) && window is not null)
                {
                    Copy()["sliding_window"] = null;
                }

                break;
            case "qwen3_vl_text" or "qwen3_vl_moe_text":
                if (!text.TryGetPropertyValue("sliding_window", out var vlWindow) || vlWindow is not null)
                {
                    Copy()["sliding_window"] = null;
                }

                break;
        }

        return copy ?? text;
    }
}

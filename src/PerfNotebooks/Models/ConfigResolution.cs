using System.Text.Json.Nodes;
using PerfNotebooks.Internal;

namespace PerfNotebooks.Models;

/// <summary>
/// How one vLLM revision resolves a model config before the perf model reads it: which quantization methods it knows
/// and how it reads the checkpoint's method, the KV-cache dtype, KV heads, head size and experts.
/// <see cref="ModelSource"/> asks the policy of its engine's revision; the rules common to every revision stay there.
/// </summary>
internal abstract class ConfigResolution
{
    /// <summary>vLLM 2025-12 (PR #30738)'s <c>ModelConfig</c> rules.</summary>
    public static ConfigResolution Revision202512 { get; } = new Rules202512();

    /// <summary>vLLM 2026-09 (upstream commit <c>00cee63e</c>)'s <c>ModelConfig</c> and <c>ModelArchConfigConvertor</c> rules.</summary>
    public static ConfigResolution Revision202609 { get; } = new Rules202609();

    /// <summary>vLLM's quantization methods at this revision (the list its "Unknown quantization method" message prints).</summary>
    public abstract IReadOnlyList<string> QuantizationMethods { get; }

    /// <summary>The rules of <paramref name="revision"/>.</summary>
    public static ConfigResolution For(VllmRevision revision) =>
        revision.Ordinal >= VllmRevision.V2026_09.Ordinal ? Revision202609 : Revision202512;

    /// <summary>The quantization method: the checkpoint's, which the engine value must equal, and one vLLM knows.</summary>
    /// <exception cref="EngineConfigException">The engine value differs from the checkpoint's, or is unknown.</exception>
    public abstract string? Quantization(HfConfig config, string? requested);

    /// <summary>The KV-cache dtype vLLM resolves from <paramref name="requested"/> (as given unless the revision says otherwise).</summary>
    public virtual string KvCacheDtype(HfConfig config, string requested) => requested;

    /// <summary>Total KV heads, as vLLM's <c>ModelConfig.get_total_num_kv_heads</c>.</summary>
    public abstract ConfigNumber TotalKvHeads(HfConfig config);

    /// <summary>Head size of a model that is not DeepSeek-style MLA, as vLLM's <c>ModelConfig.get_head_size</c>.</summary>
    public abstract ConfigNumber HeadSize(HfConfig config);

    /// <summary>Routed experts, as vLLM's <c>ModelConfig.get_num_experts</c>.</summary>
    public abstract ConfigNumber NumExperts(HfConfig config);

    /// <summary>The revision's name: <c>2025-12</c> or <c>2026-09</c>.</summary>
    public abstract override string ToString();

    // vLLM's ModelConfig._verify_quantization: the engine value must equal the checkpoint's method, and be one vLLM knows.
    protected static string? CheckedQuantization(string? method, string? requested, IReadOnlyCollection<string> known)
    {
        var quant = requested;
        if (method is not null)
        {
            if (quant is null)
            {
                quant = method;
            }
            else if (quant != method)
            {
                throw new EngineConfigException(
                    EngineErrorKind.QuantizationMismatch, "quantization", requested,
                    $"Quantization method specified in the model config ({method}) does not match the quantization method specified in the `quantization` argument ({requested}).");
            }
        }

        if (quant is not null && !known.Contains(quant))
        {
            throw new EngineConfigException(
                EngineErrorKind.UnknownQuantizationMethod, "quantization", quant,
                $"Unknown quantization method: {quant}. Must be one of [{string.Join(", ", known.Select(m => $"'{m}'"))}].");
        }

        return quant;
    }

    // The first present of num_experts, moe_num_experts, n_routed_experts, num_local_experts: a list gives its first
    // element; an empty list, None, 0 or no key at all give what the revision falls back to.
    private static ConfigNumber FirstExpertCount(HfConfig config, Func<HfConfig, ConfigNumber> fallback)
    {
        foreach (var key in (ReadOnlySpan<string>)["num_experts", "moe_num_experts", "n_routed_experts", "num_local_experts"])
        {
            if (config.Text.TryGetPropertyValue(key, out var node))
            {
                if (node is JsonArray list)
                {
                    return list.Count > 0 ? ConfigNumber.From(list[0]) : fallback(config);
                }

                var value = ConfigNumber.From(node);
                return value.Kind == ConfigNumberKind.None || value is { Kind: ConfigNumberKind.Whole, Value: 0 } ? fallback(config) : value;
            }
        }

        return fallback(config);
    }

    private sealed class Rules202512 : ConfigResolution
    {
        // vLLM 2025-12's quantization methods (the list its "Unknown quantization method" message prints).
        private static readonly IReadOnlyList<string> Methods =
        [
            "awq", "awq_marlin", "bitsandbytes", "compressed-tensors", "experts_int8", "fbgemm_fp8", "fp8", "gguf", "gptq",
            "gptq_marlin", "inc", "modelopt", "modelopt_fp4", "moe_wna16", "mxfp4", "ptpc_fp8", "quark", "torchao",
        ];

        public override IReadOnlyList<string> QuantizationMethods => Methods;

        public override string ToString() => "2025-12";

        public override string? Quantization(HfConfig config, string? requested)
        {
            var quantConfig = ModelSource.QuantizationConfig(config);
            var method = quantConfig is null
                ? null
                : (HfConfig.String(quantConfig, "quant_method") ?? string.Empty).ToLowerInvariant()
                    .Replace("compressed_tensors", "compressed-tensors", StringComparison.Ordinal);
            return CheckedQuantization(method, requested, Methods);
        }

        // multi_query means one head (except Falcon's new decoder architecture); MPT and DBRX read attn_config.kv_n_heads;
        // otherwise the first non-null of n_head_kv, num_kv_heads, num_key_value_heads, multi_query_group_num, falling
        // back to num_attention_heads.
        public override ConfigNumber TotalKvHeads(HfConfig config)
        {
            var type = config.ModelType;
            var newFalcon = type is "falcon" or "RefinedWeb" or "RefinedWebModel" &&
                            ConfigNumber.Read(config.Root, "new_decoder_architecture").Value != 0;
            if (!newFalcon && ConfigNumber.Read(config.Text, "multi_query") is { Kind: ConfigNumberKind.Whole, Value: not 0 })
            {
                return ConfigNumber.Of(1);
            }

            if (type is "mpt" or "dbrx")
            {
                return config.Root.TryGetPropertyValue("attn_config", out var attn) && attn is JsonObject attnObject &&
                       attnObject.ContainsKey("kv_n_heads")
                    ? ConfigNumber.Read(attnObject, "kv_n_heads")
                    : ConfigNumber.Read(config.Root, "num_attention_heads");
            }

            foreach (var key in (ReadOnlySpan<string>)["n_head_kv", "num_kv_heads", "num_key_value_heads", "multi_query_group_num"])
            {
                var value = config.TextNumber(key);
                if (value.Kind is not (ConfigNumberKind.Missing or ConfigNumberKind.None))
                {
                    return value;
                }
            }

            return config.TextNumber("num_attention_heads");
        }

        // The first non-null of head_dim, hidden_size_per_head, else hidden size ÷ heads.
        public override ConfigNumber HeadSize(HfConfig config)
        {
            foreach (var key in (ReadOnlySpan<string>)["head_dim", "hidden_size_per_head"])
            {
                var value = config.TextNumber(key);
                if (value.Kind is not (ConfigNumberKind.Missing or ConfigNumberKind.None))
                {
                    return value;
                }
            }

            var hidden = config.TextNumber("hidden_size");
            var heads = config.TextNumber("num_attention_heads");
            return hidden.Kind == ConfigNumberKind.Whole && heads is { Kind: ConfigNumberKind.Whole, Value: not 0 }
                ? ConfigNumber.Of(PyMath.FloorDiv(hidden.Value, heads.Value))
                : throw new ModelConfigException(config.Source, "hidden_size",
                    $"head size needs head_dim, hidden_size_per_head, or hidden_size ({hidden.Raw}) divided by num_attention_heads ({heads.Raw})");
        }

        // An empty list, None, 0 or no key give 0.
        public override ConfigNumber NumExperts(HfConfig config) => FirstExpertCount(config, static _ => ConfigNumber.Of(0));
    }

    private sealed class Rules202609 : ConfigResolution
    {
        // vLLM's quantization methods at revision 2026-09 (golden-latest's accepted list).
        private static readonly IReadOnlyList<string> Methods =
        [
            "awq", "fp8", "ptpc_fp8", "fbgemm_fp8", "fp_quant", "modelopt", "modelopt_fp4", "modelopt_mxfp8", "modelopt_mixed",
            "gguf", "gptq_marlin", "awq_marlin", "gptq", "compressed-tensors", "bitsandbytes", "experts_int8", "quark",
            "moe_wna16", "torchao", "inc", "mxfp4", "petit_nvfp4", "cpu_awq",
        ];

        public override IReadOnlyList<string> QuantizationMethods => Methods;

        public override string ToString() => "2026-09";

        // Implementation note: vLLM 2026-09's ModelArchConfigConvertor._normalize_quantization_config and the ModelOpt
        // configs' override_quantization_method, in that order; the engine value must then equal the checkpoint's.
        public override string? Quantization(HfConfig config, string? requested)
        {
            var root = config.Root;
            JsonObject? quantConfig = root.TryGetPropertyValue("quantization_config", out var q) && q is JsonObject qObject ? qObject : null;
            if (quantConfig is null && !(q is not null))
            {
                quantConfig = root.TryGetPropertyValue("compression_config", out var c) && c is JsonObject cObject ? cObject : null;
            }

            if (quantConfig is null && !ReferenceEquals(config.RawText, root))
            {
                quantConfig = ModelSource.QuantConfig(config.RawText);
            }

            string? method = null;
            if (quantConfig is not null)
            {
                method = (HfConfig.String(quantConfig, "quant_method") ?? string.Empty).ToLowerInvariant()
                    .Replace("compressed_tensors", "compressed-tensors", StringComparison.Ordinal);
                var nested = quantConfig["quantization"] as JsonObject;
                var producer = (quantConfig["producer"] as JsonObject) is { } p ? HfConfig.String(p, "name") : null;
                if ((producer == "modelopt" || nested?.ContainsKey("modelopt_quant_config") == true) &&
                    nested?["quant_algo"] is { } nestedAlgo && nestedAlgo.GetValueKind() != System.Text.Json.JsonValueKind.Null)
                {
                    var algo = AlgoText(nestedAlgo);
                    method = algo switch
                    {
                        "FP8" or "FP8_PER_CHANNEL_PER_TOKEN" or "FP8_PB_WO" => "modelopt",
                        "NVFP4" => "modelopt_fp4",
                        _ => throw new ModelConfigException(config.Source, "quantization_config.quantization.quant_algo",
                            $"Unknown ModelOpt quant algo: {algo} (vLLM raises ValueError)"),
                    };
                }

                if (method.StartsWith("modelopt", StringComparison.Ordinal))
                {
                    var algoNode = nested is not null ? nested["quant_algo"] : quantConfig["quant_algo"];
                    if (algoNode is not null)
                    {
                        var algo = AlgoText(algoNode);
                        method = algo == "FP8" ? "modelopt"
                            : algo.Contains("NVFP4", StringComparison.Ordinal) ? "modelopt_fp4"
                            : algo.Contains("MXFP8", StringComparison.Ordinal) ? "modelopt_mxfp8"
                            : algo == "MIXED_PRECISION" ? "modelopt_mixed"
                            : method;
                    }
                }
            }

            return CheckedQuantization(method, requested, Methods);
        }

        // Implementation note: vLLM 2026-09's resolve_kv_cache_dtype_string: "auto" takes a ModelOpt checkpoint's FP8
        // KV-cache scheme; anything else it does not recognise keeps "auto".
        public override string KvCacheDtype(HfConfig config, string requested)
        {
            if (requested != "auto" || config.Root["quantization_config"] is not JsonObject quant ||
                !(HfConfig.String(quant, "quant_method") ?? string.Empty).StartsWith("modelopt", StringComparison.OrdinalIgnoreCase))
            {
                return requested;
            }

            var nested = quant["quantization"] as JsonObject;
            var scheme = nested?["kv_cache_scheme"] ?? quant["kv_cache_scheme"] ?? nested?["kv_cache_quant_algo"] ?? quant["kv_cache_quant_algo"];
            var fp8 = scheme switch
            {
                JsonObject o => ConfigNumber.Read(o, "dynamic") is { Kind: ConfigNumberKind.Whole, Value: 0 } && o["dynamic"]?.GetValueKind() == System.Text.Json.JsonValueKind.False &&
                                ConfigNumber.Read(o, "num_bits") is { Kind: ConfigNumberKind.Whole, Value: 8 } && HfConfig.String(o, "type") == "float",
                JsonValue v => v.TryGetValue(out string? s) && s.Equals("FP8", StringComparison.OrdinalIgnoreCase),
                _ => false,
            };
            return fp8 ? "fp8_e4m3" : requested;
        }

        // model_arch_config_convertor.py: multi_query counts only for Falcon (falcon, RefinedWeb, RefinedWebModel without
        // new_decoder_architecture); MPT reads attn_config.kv_n_heads; DBRX its config class's num_key_value_heads;
        // otherwise the first present of n_head_kv, num_kv_heads, num_key_value_heads, multi_query_group_num,
        // num_attention_groups (a present null is an error, as vLLM rejects it), else num_attention_heads.
        public override ConfigNumber TotalKvHeads(HfConfig config)
        {
            var type = config.ModelType;
            if (type is "falcon" or "RefinedWeb" or "RefinedWebModel" &&
                ConfigNumber.Read(config.Text, "new_decoder_architecture") is not { Kind: ConfigNumberKind.Whole, Value: not 0 } &&
                ConfigNumber.Read(config.Text, "multi_query") is { Kind: ConfigNumberKind.Whole, Value: not 0 })
            {
                return ConfigNumber.Of(1);
            }

            if (type == "mpt")
            {
                return config.Text["attn_config"] is JsonObject attn && attn.ContainsKey("kv_n_heads")
                    ? ConfigNumber.Read(attn, "kv_n_heads")
                    : config.TextNumber("num_attention_heads");
            }

            foreach (var key in (ReadOnlySpan<string>)["n_head_kv", "num_kv_heads", "num_key_value_heads", "multi_query_group_num", "num_attention_groups"])
            {
                var value = config.TextNumber(key);
                if (value.Kind == ConfigNumberKind.None)
                {
                    throw new ModelConfigException(config.Source, key, "is null; vLLM 2026-09 takes the first KV-head attribute present and rejects a null one");
                }

                if (value.Exists)
                {
                    return value;
                }
            }

            return config.TextNumber("num_attention_heads");
        }

        // Gemma 4 takes max(head_dim, global_head_dim); then head_dim when present, not null and > 0, else
        // hidden_size_per_head when not null, else hidden size ÷ heads (0 without heads).
        public override ConfigNumber HeadSize(HfConfig config)
        {
            if (config.TextModelType is "gemma4" or "gemma4_text" or "gemma4_unified" or "gemma4_unified_text" or "diffusion_gemma_text")
            {
                var head = config.TextHas("head_dim") ? config.TextNumber("head_dim") : ConfigNumber.Of(0);
                var global = config.TextHas("global_head_dim") ? config.TextNumber("global_head_dim") : ConfigNumber.Of(0);
                if (head.Kind == ConfigNumberKind.Whole && global.Kind == ConfigNumberKind.Whole && Math.Max(head.Value, global.Value) != 0)
                {
                    return ConfigNumber.Of(Math.Max(head.Value, global.Value));
                }
            }

            var headDim = config.TextNumber("head_dim");
            if (headDim.Kind == ConfigNumberKind.Malformed || headDim is { Kind: ConfigNumberKind.Whole, Value: > 0 })
            {
                return headDim;
            }

            var perHead = config.TextNumber("hidden_size_per_head");
            if (perHead.Kind is not (ConfigNumberKind.Missing or ConfigNumberKind.None))
            {
                return perHead;
            }

            var heads = config.TextHas("num_attention_heads") ? config.TextNumber("num_attention_heads") : ConfigNumber.Of(0);
            var hidden = config.TextHas("hidden_size") ? config.TextNumber("hidden_size") : ConfigNumber.Of(0);
            if (heads is { Kind: ConfigNumberKind.Whole, Value: 0 })
            {
                return ConfigNumber.Of(0);
            }

            return hidden.Kind == ConfigNumberKind.Whole && heads.Kind == ConfigNumberKind.Whole
                ? ConfigNumber.Of(PyMath.FloorDiv(hidden.Value, heads.Value))
                : throw new ModelConfigException(config.Source, "hidden_size",
                    $"head size needs head_dim, hidden_size_per_head, or hidden_size ({hidden.Raw}) divided by num_attention_heads ({heads.Raw})");
        }

        // An empty list, None, 0 or no key fall back to the block configs.
        public override ConfigNumber NumExperts(HfConfig config) => FirstExpertCount(config, FromBlockConfigs);

        // Implementation note: vLLM reads the largest n_routed_experts of the "moe" blocks of heterogeneous models (NemotronH).
        private static ConfigNumber FromBlockConfigs(HfConfig config)
        {
            long best = 0;
            foreach (var block in config.Text["block_configs"] as JsonArray ?? [])
            {
                if (block is JsonObject b && HfConfig.String(b, "block_type") == "moe" &&
                    ConfigNumber.Read(b, "n_routed_experts") is { Kind: ConfigNumberKind.Whole } n)
                {
                    best = Math.Max(best, n.Value);
                }
            }

            return ConfigNumber.Of(best);
        }

        private static string AlgoText(JsonNode node) =>
            (node is JsonValue v && v.TryGetValue(out string? text) ? text : node.ToJsonString()).ToUpperInvariant();
    }
}

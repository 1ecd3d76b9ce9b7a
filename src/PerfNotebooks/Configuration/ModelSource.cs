using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json.Nodes;
using PerfNotebooks.Internal;

namespace PerfNotebooks.Configuration;

/// <summary>
/// A model config resolved with engine settings, as vLLM's <c>VllmConfig</c> is before the perf model reads it:
/// overrides applied, dtype and quantization method resolved, and every setting vLLM rejects rejected.
/// </summary>
public sealed class ModelSource
{
    /// <summary>vLLM's quantization methods (the list its "Unknown quantization method" message prints).</summary>
    public static IReadOnlyList<string> QuantizationMethods { get; } =
    [
        "awq", "awq_marlin", "bitsandbytes", "compressed-tensors", "experts_int8", "fbgemm_fp8", "fp8", "gguf", "gptq",
        "gptq_marlin", "inc", "modelopt", "modelopt_fp4", "moe_wna16", "mxfp4", "ptpc_fp8", "quark", "torchao",
    ];

    /// <summary>The <c>--kv-cache-dtype</c> values vLLM accepts.</summary>
    public static IReadOnlyList<string> KvCacheDtypes { get; } =
        ["auto", "bfloat16", "fp8", "fp8_e4m3", "fp8_e5m2", "fp8_inc", "fp8_ds_mla"];

    /// <summary>The <c>--dtype</c> values vLLM accepts.</summary>
    public static IReadOnlyList<string> Dtypes { get; } = ["auto", "half", "float16", "bfloat16", "float", "float32"];

    // Activation dtypes each method's get_supported_act_dtypes() returns in vLLM, in its order.
    private static readonly FrozenDictionary<string, ModelDtype[]> SupportedActDtypes = new Dictionary<string, ModelDtype[]>
    {
        ["awq"] = [ModelDtype.Float16],
        ["awq_marlin"] = [ModelDtype.Float16, ModelDtype.BFloat16],
        ["bitsandbytes"] = [ModelDtype.Float32, ModelDtype.Float16, ModelDtype.BFloat16],
        ["compressed-tensors"] = [ModelDtype.Float32, ModelDtype.Float16, ModelDtype.BFloat16],
        ["experts_int8"] = [ModelDtype.BFloat16, ModelDtype.Float16],
        ["fbgemm_fp8"] = [ModelDtype.BFloat16, ModelDtype.Float16],
        ["fp8"] = [ModelDtype.BFloat16, ModelDtype.Float16],
        ["gguf"] = [ModelDtype.Float16, ModelDtype.BFloat16, ModelDtype.Float32],
        ["gptq"] = [ModelDtype.Float16],
        ["gptq_marlin"] = [ModelDtype.Float16, ModelDtype.BFloat16],
        ["inc"] = [ModelDtype.BFloat16, ModelDtype.Float16],
        ["modelopt"] = [ModelDtype.BFloat16, ModelDtype.Float16],
        ["modelopt_fp4"] = [ModelDtype.BFloat16, ModelDtype.Float16],
        ["moe_wna16"] = [ModelDtype.BFloat16, ModelDtype.Float16],
        ["mxfp4"] = [ModelDtype.BFloat16],
        ["ptpc_fp8"] = [ModelDtype.BFloat16, ModelDtype.Float16],
        ["quark"] = [ModelDtype.BFloat16, ModelDtype.Float16],
        ["torchao"] = [ModelDtype.Float32, ModelDtype.Float16, ModelDtype.BFloat16],
    }.ToFrozenDictionary();

    // Model types vLLM refuses to run in float16, with its reason.
    private static readonly FrozenSet<string> Float16Unstable =
        new[] { "gemma2", "gemma3", "gemma3_text", "plamo2", "glm4" }.ToFrozenSet();

    private ModelSource(HfConfig config, EngineSettings engine, ModelDtype dtype, string? quantMethod, int cacheBytes)
    {
        Config = config;
        Engine = engine;
        Dtype = dtype;
        QuantMethod = quantMethod;
        CacheByteSize = cacheBytes;
    }

    /// <summary>The config with overrides applied.</summary>
    public HfConfig Config { get; }

    /// <summary>The engine settings as given.</summary>
    public EngineSettings Engine { get; }

    /// <summary>The resolved model dtype.</summary>
    public ModelDtype Dtype { get; }

    /// <summary>The resolved quantization method, or null for an unquantized model.</summary>
    public string? QuantMethod { get; }

    /// <summary>Bytes per KV-cache element (the model dtype for <c>auto</c>, 1 for fp8 variants).</summary>
    public int CacheByteSize { get; }

    /// <summary>Loads <paramref name="path"/> (a config file or a folder holding one) and resolves it.</summary>
    /// <exception cref="ModelConfigException">The config cannot be read.</exception>
    /// <exception cref="EngineConfigException">vLLM would reject the settings.</exception>
    public static ModelSource Load(string path, EngineSettings? engine = null) =>
        Resolve(HfConfig.Load(path), engine ?? EngineSettings.Default);

    /// <summary>Applies the engine's overrides to <paramref name="config"/> and resolves dtype and quantization as vLLM does.</summary>
    /// <exception cref="EngineConfigException">vLLM would reject the settings.</exception>
    /// <exception cref="ModelConfigException">A config value the resolution needs is malformed.</exception>
    public static ModelSource Resolve(HfConfig config, EngineSettings? engine = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        engine ??= EngineSettings.Default;
        config = config.WithOverrides(engine.HfOverrides);

        var dtype = ResolveDtype(config, engine.Dtype);
        var quant = ResolveQuantization(config, engine.Quantization);
        var cacheBytes = ResolveCacheBytes(engine.KvCacheDtype, dtype);

        var heads = config.TextNumber("num_attention_heads");
        var headCount = heads.Kind == ConfigNumberKind.Whole ? heads.Value : 0;
        if (headCount % engine.TensorParallel != 0)
        {
            throw new EngineConfigException(
                EngineErrorKind.HeadsNotDivisibleByTp, "tensor_parallel_size", Text(engine.TensorParallel),
                $"Total number of attention heads ({headCount}) must be divisible by tensor parallel size ({engine.TensorParallel}).");
        }

        var source = new ModelSource(config, engine, dtype, quant, cacheBytes);
        if (engine.EnableExpertParallel && source.NumExperts().AsNullable is not > 0)
        {
            throw new EngineConfigException(
                EngineErrorKind.ExpertParallelWithoutExperts, "enable_expert_parallel", "true",
                "Number of experts in the model must be greater than 0 when expert parallelism is enabled.");
        }

        if (quant is not null && SupportedActDtypes.TryGetValue(quant, out var supported) && !supported.Contains(dtype))
        {
            throw new EngineConfigException(
                EngineErrorKind.DtypeNotSupportedByQuantization, "dtype", dtype.VllmName(),
                $"{dtype.TorchName()} is not supported for quantization method {quant}. Supported dtypes: [{string.Join(", ", supported.Select(d => d.TorchName()))}]");
        }

        return source;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static ModelDtype ResolveDtype(HfConfig config, string requested)
    {
        var dtype = requested.ToLowerInvariant() switch
        {
            "auto" => ResolveAutoDtype(config),
            "half" or "float16" => ModelDtype.Float16,
            "bfloat16" => ModelDtype.BFloat16,
            "float" or "float32" => ModelDtype.Float32,
            _ => throw new EngineConfigException(
                EngineErrorKind.UnknownDtype, "dtype", requested, $"Unknown dtype: '{requested.ToLowerInvariant()}'"),
        };

        if (dtype == ModelDtype.Float16 && config.ModelType is { } type && Float16Unstable.Contains(type))
        {
            throw new EngineConfigException(
                EngineErrorKind.Float16NotSupportedForModel, "dtype", requested,
                $"The model type '{type}' does not support float16. Reason: Numerical instability. Please use bfloat16 or float32 instead.");
        }

        return dtype;
    }

    // Implementation note: vLLM reads the checkpoint dtype (top level, else the text sub-config), keeps bf16/fp16,
    // and downcasts float32 (also the default when the key is missing) to the platform's preferred bf16.
    private static ModelDtype ResolveAutoDtype(HfConfig config)
    {
        var name = ConfigDtype(config.Root) ?? (ReferenceEquals(config.Text, config.Root) ? null : ConfigDtype(config.Text));
        return name switch
        {
            "float16" or "half" => ModelDtype.Float16,
            _ => ModelDtype.BFloat16,
        };
    }

    private static string? ConfigDtype(JsonObject obj) =>
        HfConfig.String(obj, "dtype") ?? HfConfig.String(obj, "torch_dtype");

    private static string? ResolveQuantization(HfConfig config, string? requested)
    {
        var quantConfig = QuantConfig(config.Root) ?? (ReferenceEquals(config.Text, config.Root) ? null : QuantConfig(config.Text));
        string? quant = requested;
        if (quantConfig is not null)
        {
            var method = (HfConfig.String(quantConfig, "quant_method") ?? string.Empty).ToLowerInvariant()
                .Replace("compressed_tensors", "compressed-tensors", StringComparison.Ordinal);
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

        if (quant is not null && !QuantizationMethods.Contains(quant))
        {
            throw new EngineConfigException(
                EngineErrorKind.UnknownQuantizationMethod, "quantization", quant,
                $"Unknown quantization method: {quant}. Must be one of [{string.Join(", ", QuantizationMethods.Select(m => $"'{m}'"))}].");
        }

        return quant;
    }

    private static JsonObject? QuantConfig(JsonObject obj) =>
        obj.TryGetPropertyValue("quantization_config", out var q) && q is JsonObject quant ? quant
        : obj.TryGetPropertyValue("compression_config", out var c) && c is JsonObject compression ? compression
        : null;

    private static int ResolveCacheBytes(string kvCacheDtype, ModelDtype dtype)
    {
        if (!KvCacheDtypes.Contains(kvCacheDtype))
        {
            throw new EngineConfigException(
                EngineErrorKind.InvalidKvCacheDtype, "kv_cache_dtype", kvCacheDtype,
                $"Input should be {string.Join(", ", KvCacheDtypes.Select(d => $"'{d}'"))} (cache_dtype='{kvCacheDtype}')");
        }

        return kvCacheDtype switch
        {
            "auto" => dtype.Bytes(),
            "bfloat16" => 2,
            _ => 1,
        };
    }

    /// <summary>Total KV heads, as vLLM's <c>ModelConfig.get_total_num_kv_heads</c>.</summary>
    /// <remarks>
    /// <c>multi_query</c> means one head (except Falcon's new decoder architecture); MPT and DBRX read
    /// <c>attn_config.kv_n_heads</c>; otherwise the first non-null of <c>n_head_kv</c>, <c>num_kv_heads</c>,
    /// <c>num_key_value_heads</c>, <c>multi_query_group_num</c>, falling back to <c>num_attention_heads</c>.
    /// </remarks>
    public ConfigNumber TotalKvHeads()
    {
        var type = Config.ModelType;
        var newFalcon = type is "falcon" or "RefinedWeb" or "RefinedWebModel" &&
                        ConfigNumber.Read(Config.Root, "new_decoder_architecture").Value != 0;
        if (!newFalcon && ConfigNumber.Read(Config.Text, "multi_query") is { Kind: ConfigNumberKind.Whole, Value: not 0 })
        {
            return ConfigNumber.Of(1);
        }

        if (type is "mpt" or "dbrx")
        {
            return Config.Root.TryGetPropertyValue("attn_config", out var attn) && attn is JsonObject attnObject &&
                   attnObject.ContainsKey("kv_n_heads")
                ? ConfigNumber.Read(attnObject, "kv_n_heads")
                : ConfigNumber.Read(Config.Root, "num_attention_heads");
        }

        foreach (var key in (ReadOnlySpan<string>)["n_head_kv", "num_kv_heads", "num_key_value_heads", "multi_query_group_num"])
        {
            var value = Config.TextNumber(key);
            if (value.Kind is not (ConfigNumberKind.Missing or ConfigNumberKind.None))
            {
                return value;
            }
        }

        return Config.TextNumber("num_attention_heads");
    }

    /// <summary>Head size, as vLLM's <c>ModelConfig.get_head_size</c>: <c>head_dim</c>, else <c>hidden_size_per_head</c>, else hidden size ÷ heads.</summary>
    public ConfigNumber HeadSize()
    {
        foreach (var key in (ReadOnlySpan<string>)["head_dim", "hidden_size_per_head"])
        {
            var value = Config.TextNumber(key);
            if (value.Kind is not (ConfigNumberKind.Missing or ConfigNumberKind.None))
            {
                return value;
            }
        }

        var hidden = Config.TextNumber("hidden_size");
        var heads = Config.TextNumber("num_attention_heads");
        return hidden.Kind == ConfigNumberKind.Whole && heads is { Kind: ConfigNumberKind.Whole, Value: not 0 }
            ? ConfigNumber.Of(PyMath.FloorDiv(hidden.Value, heads.Value))
            : throw new ModelConfigException(Config.Source, "hidden_size",
                $"head size needs head_dim, hidden_size_per_head, or hidden_size ({hidden.Raw}) divided by num_attention_heads ({heads.Raw})");
    }

    /// <summary>
    /// Routed experts, as vLLM's <c>ModelConfig.get_num_experts</c>: the first present of <c>num_experts</c>,
    /// <c>moe_num_experts</c>, <c>n_routed_experts</c>, <c>num_local_experts</c>; a list gives its first element; None gives 0.
    /// </summary>
    public ConfigNumber NumExperts()
    {
        foreach (var key in (ReadOnlySpan<string>)["num_experts", "moe_num_experts", "n_routed_experts", "num_local_experts"])
        {
            if (Config.Text.TryGetPropertyValue(key, out var node))
            {
                if (node is JsonArray list)
                {
                    return list.Count > 0 ? ConfigNumber.From(list[0]) : ConfigNumber.Of(0);
                }

                var value = ConfigNumber.From(node);
                return value.Kind == ConfigNumberKind.None || value is { Kind: ConfigNumberKind.Whole, Value: 0 }
                    ? ConfigNumber.Of(0)
                    : value;
            }
        }

        return ConfigNumber.Of(0);
    }
}

using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json.Nodes;
using PerfNotebooks.Internal;
namespace PerfNotebooks.Models;

/// <summary>
/// A model config resolved with engine settings, as vLLM's <c>VllmConfig</c> is before the perf model reads it:
/// overrides applied, dtype and quantization method resolved, and every setting vLLM rejects rejected.
/// </summary>
public sealed class ModelSource
{
    /// <summary>Text model types vLLM treats as DeepSeek-style MLA (<c>is_deepseek_mla</c>) when <c>kv_lora_rank</c> is set.</summary>
    public static IReadOnlyList<string> MlaModelTypes { get; } =
    [
        "axk1", "deepseek_v2", "deepseek_v3", "deepseek_v32", "deepseek_v4", "deepseek_mtp", "k3_dspark", "glm_moe_dsa",
        "glm4_moe_lite", "glm4_moe_lite_mtp", "kimi_k2", "kimi_linear", "longcat_flash", "longcat_flash_ngram",
        "longcat_next", "pangu_ultra_moe", "pangu_ultra_moe_mtp", "bailing_hybrid", "bailing_hybrid_mtp", "bailing_hybrid_v3_mtp",
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

    // Implementation note: resolved on first use, so a config the vLLM book can count but whose shapes the physical
    // book refuses (more than 2^20 layers) fails only where the shapes are asked for. Immutable once set.
    private ModelShape? _shape;

    private ModelSource(HfConfig config, EngineSettings engine, ModelDtype dtype, string? quantMethod, string kvCacheDtype, int cacheBytes)
    {
        Config = config;
        Engine = engine;
        Dtype = dtype;
        QuantMethod = quantMethod;
        KvCacheDtype = kvCacheDtype;
        CacheByteSize = cacheBytes;
    }

    /// <summary>The vLLM revision whose config rules resolved this source (<see cref="EngineSettings.Vllm"/>).</summary>
    public VllmRevision Revision => Engine.Vllm;

    /// <summary>The config rules of <see cref="Revision"/>.</summary>
    internal ConfigResolution Rules => ConfigResolution.For(Engine.Vllm);

    /// <summary>
    /// The resolved KV-cache dtype (vLLM's <c>cache_config.cache_dtype</c>): as given, except that from revision
    /// 2026-09 <c>auto</c> takes a ModelOpt checkpoint's FP8 KV-cache scheme (<c>fp8_e4m3</c>).
    /// </summary>
    public string KvCacheDtype { get; }

    /// <summary>
    /// Whether vLLM treats the model as DeepSeek-style multi-head latent attention (<c>ModelConfig.is_deepseek_mla</c>):
    /// the text <c>model_type</c> is one of <see cref="MlaModelTypes"/> and <c>kv_lora_rank</c> is present and not null
    /// (for DeepSeek-V4, with <c>compress_ratios</c>, <c>head_dim</c> instead).
    /// </summary>
    public bool IsDeepseekMla =>
        Config.TextModelType is { } type && MlaModelTypes.Contains(type) &&
        (Config.TextHas("compress_ratios")
            ? Config.TextNumber("head_dim").Kind is not (ConfigNumberKind.Missing or ConfigNumberKind.None)
            : Config.TextNumber("kv_lora_rank").Kind is not (ConfigNumberKind.Missing or ConfigNumberKind.None));

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

    /// <summary>
    /// The model's shapes resolved from this config: the fields the physical book computes with, from the same
    /// resolution as the vLLM book's (KV heads, head size, experts, top-k), plus the layer patterns only it reads.
    /// </summary>
    /// <exception cref="ModelConfigException">A shape is missing or malformed; names the key.</exception>
    internal ModelShape Shape => _shape ??= ModelShape.Resolve(this);

    /// <summary>How the weights are stored: <see cref="QuantMethod"/> and the checkpoint's quantization config fields.</summary>
    internal WeightQuantization WeightQuantization => WeightQuantization.Read(QuantMethod, QuantizationConfig(Config));

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
        var rules = ConfigResolution.For(engine.Vllm);
        var quant = rules.Quantization(config, engine.Quantization);
        var cacheBytes = ResolveCacheBytes(engine.KvCacheDtype, dtype);
        var kvCacheDtype = rules.KvCacheDtype(config, engine.KvCacheDtype);
        if (kvCacheDtype != engine.KvCacheDtype)
        {
            cacheBytes = ResolveCacheBytes(kvCacheDtype, dtype);
        }

        var heads = config.TextNumber("num_attention_heads");
        var headCount = heads.Kind == ConfigNumberKind.Whole ? heads.Value : 0;
        if (headCount % engine.TensorParallel != 0)
        {
            throw new EngineConfigException(
                EngineErrorKind.HeadsNotDivisibleByTp, "tensor_parallel_size", Text(engine.TensorParallel),
                $"Total number of attention heads ({headCount}) must be divisible by tensor parallel size ({engine.TensorParallel}).");
        }

        var source = new ModelSource(config, engine, dtype, quant, kvCacheDtype, cacheBytes);
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
        var name = ConfigDtype(config.Root) ?? (ReferenceEquals(config.RawText, config.Root) ? null : ConfigDtype(config.RawText));
        return name switch
        {
            "float16" or "half" => ModelDtype.Float16,
            _ => ModelDtype.BFloat16,
        };
    }

    private static string? ConfigDtype(JsonObject obj) =>
        HfConfig.String(obj, "dtype") ?? HfConfig.String(obj, "torch_dtype");

    /// <summary>The checkpoint's quantization config: <c>quantization_config</c>, else <c>compression_config</c>, at the top level, else in the text sub-config.</summary>
    internal static JsonObject? QuantizationConfig(HfConfig config) =>
        QuantConfig(config.Root) ?? (ReferenceEquals(config.RawText, config.Root) ? null : QuantConfig(config.RawText));

    /// <summary>An object's <c>quantization_config</c>, else its <c>compression_config</c>, else null.</summary>
    internal static JsonObject? QuantConfig(JsonObject obj) =>
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

    /// <summary>Total KV heads, as vLLM's <c>ModelConfig.get_total_num_kv_heads</c> at <see cref="Revision"/>.</summary>
    /// <remarks>
    /// Revision 2026-09 (<c>model_arch_config_convertor.py</c>): <c>multi_query</c> counts only for Falcon
    /// (<c>falcon</c>, <c>RefinedWeb</c>, <c>RefinedWebModel</c> without <c>new_decoder_architecture</c>); MPT reads
    /// <c>attn_config.kv_n_heads</c>; DBRX its config class's <c>num_key_value_heads</c>; otherwise the first present of
    /// <c>n_head_kv</c>, <c>num_kv_heads</c>, <c>num_key_value_heads</c>, <c>multi_query_group_num</c>,
    /// <c>num_attention_groups</c> (a present null is an error, as vLLM rejects it), else <c>num_attention_heads</c>.
    /// Revision 2025-12:
    /// <c>multi_query</c> means one head (except Falcon's new decoder architecture); MPT and DBRX read
    /// <c>attn_config.kv_n_heads</c>; otherwise the first non-null of <c>n_head_kv</c>, <c>num_kv_heads</c>,
    /// <c>num_key_value_heads</c>, <c>multi_query_group_num</c>, falling back to <c>num_attention_heads</c>.
    /// </remarks>
    /// <exception cref="ModelConfigException">Revision 2026-09 and a KV-head attribute is present but null.</exception>
    internal ConfigNumber TotalKvHeads() => Rules.TotalKvHeads(Config);

    /// <summary>
    /// Head size, as vLLM's <c>ModelConfig.get_head_size</c> at <see cref="Revision"/>. Both revisions: an MLA model
    /// (<see cref="IsDeepseekMla"/>) has <c>kv_lora_rank + qk_rope_head_dim</c> (576 for DeepSeek-V3; DeepSeek-V4
    /// with <c>compress_ratios</c>: <c>head_dim</c>). Revision 2026-09: Gemma 4 takes <c>max(head_dim,
    /// global_head_dim)</c>; then <c>head_dim</c> when present, not null and &gt; 0, else <c>hidden_size_per_head</c>
    /// when not null, else hidden size ÷ heads (0 without heads). Revision 2025-12: the first non-null of
    /// <c>head_dim</c>, <c>hidden_size_per_head</c>, else hidden size ÷ heads.
    /// </summary>
    /// <exception cref="ModelConfigException">No rule gives a head size.</exception>
    internal ConfigNumber HeadSize()
    {
        if (IsDeepseekMla)
        {
            if (Config.TextHas("compress_ratios"))
            {
                return Config.TextNumber("head_dim");
            }

            var rank = Config.TextNumber("kv_lora_rank");
            var rope = Config.TextHas("qk_rope_head_dim") ? Config.TextNumber("qk_rope_head_dim") : ConfigNumber.Of(0);
            return rank.Kind == ConfigNumberKind.Whole && rope.Kind == ConfigNumberKind.Whole
                ? ConfigNumber.Of(checked(rank.Value + rope.Value))
                : throw new ModelConfigException(Config.Source, "kv_lora_rank",
                    $"MLA head size is kv_lora_rank ({rank.Raw}) + qk_rope_head_dim ({rope.Raw}); both must be integers");
        }

        return Rules.HeadSize(Config);
    }

    /// <summary>
    /// Routed experts, as vLLM's <c>ModelConfig.get_num_experts</c>: the first present of <c>num_experts</c>,
    /// <c>moe_num_experts</c>, <c>n_routed_experts</c>, <c>num_local_experts</c>; a list gives its first element; None gives 0.
    /// </summary>
    internal ConfigNumber NumExperts() => Rules.NumExperts(Config);

    /// <summary>
    /// Experts each token activates, as vLLM 2026-09's <c>ModelConfig.get_num_experts_per_tok</c>: the first present
    /// of <c>num_experts_per_tok</c>, <c>num_experts_per_token</c>, <c>top_k_experts</c>, <c>moe_topk</c>,
    /// <c>moe_top_k</c> (a list gives its maximum); 0 when that value is 0 or None or none is present (so a present
    /// null <c>num_experts_per_tok</c> gives 0 even when <c>moe_topk</c> is set).
    /// </summary>
    internal ConfigNumber NumExpertsPerToken()
    {
        foreach (var key in (ReadOnlySpan<string>)["num_experts_per_tok", "num_experts_per_token", "top_k_experts", "moe_topk", "moe_top_k"])
        {
            if (Config.Text.TryGetPropertyValue(key, out var node))
            {
                if (node is JsonArray list)
                {
                    var best = ConfigNumber.Of(0);
                    foreach (var item in list)
                    {
                        var value = ConfigNumber.From(item);
                        if (value.Kind != ConfigNumberKind.Whole)
                        {
                            return value;
                        }

                        best = value.Value > best.Value ? value : best;
                    }

                    return best;
                }

                var number = ConfigNumber.From(node);
                return number.Kind == ConfigNumberKind.None ? ConfigNumber.Of(0) : number;
            }
        }

        return ConfigNumber.Of(0);
    }

    /// <summary>
    /// The attention window vLLM uses (<c>ModelConfig.get_sliding_window</c>): the text config's <c>sliding_window</c>
    /// as its config class exposes it, null when absent, None, or <see cref="EngineSettings.DisableSlidingWindow"/>.
    /// </summary>
    /// <exception cref="ModelConfigException">The window is not an integer.</exception>
    public long? SlidingWindow()
    {
        if (Engine.DisableSlidingWindow)
        {
            return null;
        }

        var window = Config.TextNumber("sliding_window");
        return window.Kind switch
        {
            ConfigNumberKind.Whole => window.Value,
            ConfigNumberKind.Malformed => throw new ModelConfigException(Config.Source, "sliding_window",
                $"must be an integer or null, not {window.Raw} (vLLM's perf model compares it with 0)"),
            _ => null,
        };
    }

}

using System.Text.Json;
using System.Text.Json.Nodes;
using PerfNotebooks.Configuration;

namespace PerfNotebooks.Cli;

/// <summary>The engine options every model command takes, named like vLLM's flags.</summary>
public static class EngineOptions
{
    /// <summary>The option specs.</summary>
    public static IReadOnlyList<OptionSpec> Specs { get; } =
    [
        new("dtype", "DTYPE", $"model dtype: {string.Join(", ", ModelSource.Dtypes)} (default auto: the checkpoint's)"),
        new("kv-cache-dtype", "DTYPE", $"KV-cache dtype: {string.Join(", ", ModelSource.KvCacheDtypes)}"),
        new("quantization", "METHOD", "quantization method (default: the checkpoint's quantization_config)"),
        new("tp", "N", "tensor-parallel size (default 1)"),
        new("pp", "N", "pipeline-parallel size (default 1)"),
        new("dp", "N", "data-parallel size (default 1)"),
        new("ep", null, "enable expert parallelism"),
        new("hf-overrides", "JSON", "vLLM --hf-overrides, a JSON object applied to config.json"),
    ];

    /// <summary>Reads the engine settings from parsed options.</summary>
    /// <exception cref="CliException">A value is malformed.</exception>
    public static EngineSettings Read(ParsedOptions options)
    {
        JsonObject? overrides = null;
        if (options.Value("hf-overrides") is { } json)
        {
            try
            {
                overrides = JsonNode.Parse(json) as JsonObject
                    ?? throw new CliException($"perfnb {options.Command}: --hf-overrides must be a JSON object, not {json}");
            }
            catch (JsonException e)
            {
                throw new CliException($"perfnb {options.Command}: --hf-overrides is not valid JSON ({e.Message})");
            }
        }

        return new EngineSettings
        {
            Dtype = options.Value("dtype") ?? "auto",
            KvCacheDtype = options.Value("kv-cache-dtype") ?? "auto",
            Quantization = options.Value("quantization"),
            TensorParallel = options.PositiveInt("tp", 1),
            PipelineParallel = options.PositiveInt("pp", 1),
            DataParallel = options.PositiveInt("dp", 1),
            EnableExpertParallel = options.Flag("ep"),
            HfOverrides = overrides,
        };
    }
}

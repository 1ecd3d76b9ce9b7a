using PerfNotebooks.Models;

namespace PerfNotebooks.Vllm.Parsers;

/// <summary>
/// MoE layer count from <c>interleave_moe_layer_step</c> (Llama 4), as vLLM's <c>InterleaveMoeLayerStepParser</c>:
/// with step s &gt; 0, layers s, 2s, … (1-based) are MoE layers.
/// </summary>
internal sealed class InterleaveMoeLayerStepParser : IConfigParser
{
    /// <inheritdoc />
    public ParsedArgs Parse(ParsedArgs args, ModelSource source)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(source);
        var config = source.Config;
        if (!config.TextHas("interleave_moe_layer_step"))
        {
            return args;
        }

        var step = config.TextNumber("interleave_moe_layer_step");
        if (step.Kind != ConfigNumberKind.Whole)
        {
            throw new ModelConfigException(config.Source, "interleave_moe_layer_step",
                $"must be an integer, not {step.Raw} (vLLM fails comparing it with 0; InterleaveMoeLayerStepParser)");
        }

        if (step.Value <= 0)
        {
            return args;
        }

        // Implementation note: layers s, 2s, … up to the layer count, counted in closed form (a loop hangs at 2^40 layers).
        var layers = LayerCount(args, config);
        return args with { NumMoeLayers = layers > 0 ? layers / step.Value : 0 };
    }

    internal static long LayerCount(ParsedArgs args, HfConfig config) =>
        args.NumHiddenLayers ?? throw new ModelConfigException(config.Source, "num_hidden_layers",
            "must be an integer to count MoE layers");
}

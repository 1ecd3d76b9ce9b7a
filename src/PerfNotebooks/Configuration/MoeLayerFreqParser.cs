using PerfNotebooks.Internal;

namespace PerfNotebooks.Configuration;

/// <summary>
/// MoE layer count from <c>moe_layer_freq</c> with <c>first_k_dense_replace</c> (DeepSeek), as vLLM's
/// <c>MoeLayerFreqParser</c>: layer i (0-based) is MoE when i ≥ k and i mod freq = 0. Needs both keys; runs after
/// <see cref="InterleaveMoeLayerStepParser"/> and overrides it.
/// </summary>
public sealed class MoeLayerFreqParser : IConfigParser
{
    /// <inheritdoc />
    public ParsedArgs Parse(ParsedArgs args, ModelSource source)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(source);
        var config = source.Config;
        if (!config.TextHas("moe_layer_freq") || !config.TextHas("first_k_dense_replace"))
        {
            return args;
        }

        var freq = config.TextNumber("moe_layer_freq");
        var firstDense = config.TextNumber("first_k_dense_replace");
        if (freq is not { Kind: ConfigNumberKind.Whole, Value: not 0 })
        {
            throw new ModelConfigException(config.Source, "moe_layer_freq",
                $"must be a non-zero integer, not {freq.Raw} (MoeLayerFreqParser divides by it)");
        }

        if (firstDense.Kind != ConfigNumberKind.Whole)
        {
            throw new ModelConfigException(config.Source, "first_k_dense_replace",
                $"must be an integer, not {firstDense.Raw} (MoeLayerFreqParser)");
        }

        var layers = InterleaveMoeLayerStepParser.LayerCount(args, config);
        long count = 0;
        for (long layer = 0; layer < layers; layer++)
        {
            if (layer >= firstDense.Value && PyMod(layer, freq.Value) == 0)
            {
                count++;
            }
        }

        return args with { NumMoeLayers = count };
    }

    private static long PyMod(long a, long b) => a - (PyMath.FloorDiv(a, b) * b);
}

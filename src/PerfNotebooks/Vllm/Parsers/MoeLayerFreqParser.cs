using PerfNotebooks.Models;

namespace PerfNotebooks.Vllm.Parsers;

/// <summary>
/// MoE layer count from <c>moe_layer_freq</c> with <c>first_k_dense_replace</c> (DeepSeek), as vLLM's
/// <c>MoeLayerFreqParser</c>: layer i (0-based) is MoE when i ≥ k and i mod freq = 0. Needs both keys; runs after
/// <see cref="InterleaveMoeLayerStepParser"/> and overrides it.
/// </summary>
internal sealed class MoeLayerFreqParser : IConfigParser
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
        return args with { NumMoeLayers = Count(layers, firstDense.Value, freq.Value) };
    }

    /// <summary>
    /// How many layers in <c>range(layers)</c> are at least <paramref name="firstDense"/> with
    /// <c>layer % freq == 0</c> (Python's modulo), in closed form: the multiples of |freq| in [max(k, 0), layers − 1].
    /// </summary>
    /// <remarks>Implementation note: a loop over layers hangs for 2^40 layers; Python's <c>layer % freq</c> is 0 exactly when |freq| divides the layer, whatever freq's sign.</remarks>
    internal static long Count(long layers, long firstDense, long freq)
    {
        Int128 first = Math.Max(firstDense, 0), last = (Int128)layers - 1, step = Int128.Abs(freq);
        return first > last || step == 0 ? 0 : (long)((last / step) - ((first + step - 1) / step) + 1);
    }
}

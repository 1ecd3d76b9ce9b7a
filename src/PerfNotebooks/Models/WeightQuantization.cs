using System.Text.Json.Nodes;
namespace PerfNotebooks.Models;

/// <summary>
/// How a checkpoint's <c>quantization_config</c> (else <c>compression_config</c>) says its weights are stored: the
/// resolved method and the fields that size a weight. Read once, with the rest of the config resolution; the vLLM
/// book bills weights by <see cref="Method"/>, the physical book sizes them from every field here.
/// </summary>
/// <param name="Method">The resolved quantization method (<see cref="ModelSource.QuantMethod"/>), or null for an unquantized model.</param>
/// <param name="Bits">AWQ/GPTQ bits per weight (<c>bits</c>, else <c>w_bit</c>), or null when the config gives none.</param>
/// <param name="GroupSize">AWQ/GPTQ weights per scale (<c>group_size</c>, else <c>q_group_size</c>), or null.</param>
/// <param name="ZeroPoint">AWQ's <c>zero_point</c>, or null when absent.</param>
/// <param name="BlockScaled">Whether fp8 weights carry block scales (<c>weight_block_size</c> present).</param>
/// <param name="QuantAlgo">ModelOpt's top-level <c>quant_algo</c>, or null.</param>
/// <param name="CompressedWeights">compressed-tensors: the first config group's weight scheme, or null.</param>
internal sealed record WeightQuantization(
    string? Method,
    long? Bits,
    long? GroupSize,
    bool? ZeroPoint,
    bool BlockScaled,
    string? QuantAlgo,
    CompressedTensorsWeights? CompressedWeights)
{
    /// <summary>Reads the fields of <paramref name="quant"/> (the checkpoint's quantization config, or null) for a model quantized with <paramref name="method"/>.</summary>
    internal static WeightQuantization Read(string? method, JsonObject? quant)
    {
        if (quant is null)
        {
            return new(method, null, null, null, false, null, null);
        }

        long? Number(string key) => ConfigNumber.Read(quant, key).AsNullable;
        var zeroPoint = quant.TryGetPropertyValue("zero_point", out var z) && z is JsonValue zv && zv.TryGetValue(out bool zb) ? zb : (bool?)null;
        return new(
            method,
            Number("bits") ?? Number("w_bit"),
            Number("group_size") ?? Number("q_group_size"),
            zeroPoint,
            quant.ContainsKey("weight_block_size"),
            HfConfig.String(quant, "quant_algo"),
            CompressedTensorsWeights.Read(quant));
    }
}

using PerfNotebooks.Models;
using PerfNotebooks.Vllm.Components;

namespace PerfNotebooks.Vllm.Parsers;

/// <summary>
/// Weight byte size from the quantization method, as vLLM 2026-09's <c>_QUANT_WEIGHT_BYTE_SIZE</c> table (used by
/// its <c>AttentionQuantizationConfigParser</c> and <c>FfnQuantizationConfigParser</c>): 1 byte for the fp8 family,
/// half a byte for 4-bit methods; a method not in the table skips the component (<c>unsupported_quant_method</c>).
/// </summary>
/// <remarks>Quirk kept from vLLM: GPTQ, AWQ, compressed-tensors and the other variable-width methods always count
/// 4 bits, whatever the checkpoint's bit width.</remarks>
internal sealed class QuantizationTableParser : IConfigParser
{
    /// <summary>The table: method name to bits per weight.</summary>
    public static IReadOnlyDictionary<string, int> BitsByMethod { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["fp8"] = 8,
        ["fbgemm_fp8"] = 8,
        ["ptpc_fp8"] = 8,
        ["fp_quant"] = 8,
        ["modelopt"] = 8,
        ["modelopt_mxfp8"] = 8,
        ["mxfp4"] = 4,
        ["awq"] = 4,
        ["awq_marlin"] = 4,
        ["gptq"] = 4,
        ["gptq_marlin"] = 4,
        ["modelopt_fp4"] = 4,
        ["petit_nvfp4"] = 4,
        ["compressed-tensors"] = 4,
        ["torchao"] = 4,
        ["quark"] = 4,
        ["moe_wna16"] = 4,
        ["inc"] = 4,
        ["experts_int8"] = 8,
    };

    /// <inheritdoc />
    public ParsedArgs Parse(ParsedArgs args, ModelSource source)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(source);
        if (source.QuantMethod is not { } method)
        {
            return args;
        }

        return BitsByMethod.TryGetValue(method, out var bits)
            ? args with { WeightByteSize = ByteSize.FromBits(bits) }
            : args with
            {
                Skip = new ComponentOutcome.Skipped(string.Empty, SkipReason.UnsupportedQuantMethod,
                    $"vLLM 2026-09's perf model has no weight size for quantization method '{method}'"),
            };
    }
}

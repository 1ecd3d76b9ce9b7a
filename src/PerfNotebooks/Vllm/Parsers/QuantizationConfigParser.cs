using PerfNotebooks.Models;
using PerfNotebooks.Vllm.Components;

namespace PerfNotebooks.Vllm.Parsers;

/// <summary>
/// Weight byte size from the quantization method, as vLLM's <c>AttentionQuantizationConfigParser</c> and
/// <c>FfnQuantizationConfigParser</c> (which are identical): <c>fp8</c> and <c>fbgemm_fp8</c> are 1 byte,
/// <c>mxfp4</c> half a byte; any other method makes the component not applicable.
/// </summary>
/// <remarks>Quirk kept from vLLM: "ignored layers" of a checkpoint (e.g. an unquantized <c>lm_head</c>) are not modelled.</remarks>
internal sealed class QuantizationConfigParser : IConfigParser
{
    /// <inheritdoc />
    public ParsedArgs Parse(ParsedArgs args, ModelSource source)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(source);
        return source.QuantMethod switch
        {
            null => args,
            "fp8" or "fbgemm_fp8" => args with { WeightByteSize = ByteSize.FromBytes(1) },
            "mxfp4" => args with { WeightByteSize = ByteSize.FourBit },
            var other => args with
            {
                Skip = new ComponentOutcome.Skipped(string.Empty, SkipReason.UnsupportedQuantMethod,
                    $"the perf model does not understand quantization method '{other}' (only fp8, fbgemm_fp8 and mxfp4)"),
            },
        };
    }
}

using System.Text.Json.Nodes;
namespace PerfNotebooks.Models;

/// <summary>A compressed-tensors weight scheme (<c>config_groups.*.weights</c>).</summary>
/// <param name="Bits">Bits per weight (<c>num_bits</c>).</param>
/// <param name="GroupSize">Weights per scale (<c>group_size</c>; 0 when per channel).</param>
/// <param name="IsFloat">Whether the weights are floats (<c>type</c> is <c>float</c>) rather than integers.</param>
/// <param name="Symmetric">Whether the scheme has no zero point (<c>symmetric</c>, true unless false).</param>
internal readonly record struct CompressedTensorsWeights(long Bits, long GroupSize, bool IsFloat, bool Symmetric)
{
    // Implementation note: the first group that has weights decides, as the physical book has always read it; a
    // scheme without positive bits counts as none.
    internal static CompressedTensorsWeights? Read(JsonObject quant)
    {
        if (!quant.TryGetPropertyValue("config_groups", out var groups) || groups is not JsonObject g)
        {
            return null;
        }

        foreach (var (_, group) in g)
        {
            if (group is JsonObject go && go.TryGetPropertyValue("weights", out var w) && w is JsonObject weights)
            {
                var bits = ConfigNumber.Read(weights, "num_bits").AsNullable ?? 0;
                var size = ConfigNumber.Read(weights, "group_size").AsNullable ?? 0;
                var isFloat = HfConfig.String(weights, "type") == "float";
                var symmetric = !(weights.TryGetPropertyValue("symmetric", out var s) && s is JsonValue sv && sv.TryGetValue(out bool sb) && !sb);
                return bits > 0 ? new(bits, size, isFloat, symmetric) : null;
            }
        }

        return null;
    }
}

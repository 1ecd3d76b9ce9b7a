using PerfNotebooks.Components;
using PerfNotebooks.Configuration;

namespace PerfNotebooks;

/// <summary>A one-line description of a model: size, shape, experts, dtype and quantization.</summary>
/// <param name="Name">The name it was loaded by.</param>
/// <param name="Parameters">Matmul weights and embeddings (norms and biases excluded), in parameters.</param>
/// <param name="ActiveParameters">Parameters one token uses: routed experts counted at top-k.</param>
/// <param name="Layers">Transformer layers.</param>
/// <param name="HiddenSize">Model width.</param>
/// <param name="Heads">Query heads.</param>
/// <param name="KvHeads">KV heads.</param>
/// <param name="Experts">Routed experts (0 for dense models).</param>
/// <param name="TopK">Experts per token.</param>
/// <param name="Dtype">Resolved model dtype.</param>
/// <param name="Quantization">Quantization method, or null.</param>
public sealed record ModelSummary(
    string Name, long Parameters, long ActiveParameters, long Layers, long HiddenSize, long Heads, long KvHeads,
    long Experts, long TopK, string Dtype, string? Quantization)
{
    /// <summary>Summarises a resolved model (whole model, one GPU's layout does not matter).</summary>
    /// <exception cref="ArgumentException">The model has no attention or FFN component to summarise (see its skipped components).</exception>
    public static ModelSummary Of(string name, ModelSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        // Implementation note: parameter counts come from an unquantized, single-GPU view of the same config, so
        // skipped components (an unsupported quantization) do not hide the model's size. The view is vLLM 2025-12's,
        // whose attention component covers every model (2026-09 counts MLA models in mla_attn).
        var plain = ModelMetrics.Create(ModelSource.Resolve(source.Config, new EngineSettings { Dtype = source.Dtype.VllmName(), Quantization = source.QuantMethod is "fp8" or "fbgemm_fp8" or "mxfp4" or null ? source.QuantMethod : null, Vllm = VllmRevision.V2025_12 }));
        var attn = plain.Components.OfType<AttentionMetrics>().FirstOrDefault()
                   ?? throw new InvalidValueException($"{name}: no attention component ({string.Join("; ", plain.Skipped.Select(s => s.Detail))})");
        var ffn = plain.Components.OfType<FfnMetrics>().FirstOrDefault();
        var unembed = plain.Components.OfType<UnembedMetrics>().FirstOrDefault();
        checked
        {
            var d = attn.HiddenSize;
            var attention = attn.Layers * ((d * (attn.Heads + (2 * attn.KvHeads)) * attn.HeadDim) + (attn.Heads * attn.HeadDim * d));
            long dense = 0, routed = 0, active = 0, shared = 0;
            if (ffn is not null)
            {
                dense = 3 * d * ffn.IntermediateSize * (ffn.Layers - ffn.MoeLayers);
                routed = 3 * d * ffn.MoeIntermediateSize * ffn.Experts * ffn.MoeLayers;
                active = 3 * d * ffn.MoeIntermediateSize * Math.Min(ffn.ExpertsPerToken, ffn.Experts) * ffn.MoeLayers;
                shared = 3 * d * ffn.MoeIntermediateSize * ffn.SharedExperts * ffn.MoeLayers;
            }

            var vocab = unembed?.VocabSize ?? 0;
            var tied = source.Config.Root.TryGetPropertyValue("tie_word_embeddings", out var tie) &&
                       tie is System.Text.Json.Nodes.JsonValue v && v.TryGetValue(out bool t) && t;
            var embeddings = vocab * d * (tied ? 1 : 2);
            var common = attention + dense + shared + embeddings;
            return new ModelSummary(
                name, common + routed, common + active, attn.Layers, d, attn.Heads, attn.KvHeads,
                ffn?.Experts ?? 0, ffn?.ExpertsPerToken ?? 0, source.Dtype.VllmName(), source.QuantMethod);
        }
    }

    /// <summary>One line: parameters (active), shape, experts, dtype and quantization.</summary>
    public override string ToString() => FormattableString.Invariant(
        $"{Name}: {Units.Si((double)Parameters, "params")} ({Units.Si((double)ActiveParameters, "active")}), {Layers} layers × {HiddenSize}, {Heads}/{KvHeads} heads") +
        (Experts == 0 ? string.Empty : FormattableString.Invariant($", {Experts} experts top-{TopK}")) + $", {Dtype}{(Quantization is { } q ? " " + q : string.Empty)}";
}

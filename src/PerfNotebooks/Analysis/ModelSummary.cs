using PerfNotebooks.Models;
using PerfNotebooks.Physical;

namespace PerfNotebooks.Analysis;

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
    /// <summary>Summarises a resolved model from the physical book (whole model; one GPU's layout does not matter).</summary>
    /// <exception cref="ModelConfigException">The config lacks a size the physical model needs.</exception>
    /// <remarks>Parameters are what the checkpoint holds (shared experts, Llama-4's dense layers, MLA projections
    /// included), not vLLM's perf-model view of them, which skips what a revision does not understand.</remarks>
    public static ModelSummary Of(string name, ModelSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var model = PhysicalModel.From(source);
        return new ModelSummary(
            name, (long)Math.Round(model.TotalParameters), (long)Math.Round(model.ActiveParameters), model.Layers, model.HiddenSize,
            model.Heads, model.KvHeads, model.Experts, model.TopK, source.Dtype.VllmName(), source.QuantMethod);
    }

    /// <summary>One line: parameters (active), shape, experts, dtype and quantization.</summary>
    public override string ToString() => FormattableString.Invariant(
        $"{Name}: {Units.Si((double)Parameters, "params")} ({Units.Si((double)ActiveParameters, "active")}), {Layers} layers × {HiddenSize}, {Heads}/{KvHeads} heads") +
        (Experts == 0 ? string.Empty : FormattableString.Invariant($", {Experts} experts top-{TopK}")) + $", {Dtype}{(Quantization is { } q ? " " + q : string.Empty)}";
}

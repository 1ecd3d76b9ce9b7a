using System.Collections.Immutable;
namespace PerfNotebooks.Vllm.Components;

/// <summary>
/// The ordered list of components a model is built from: explicit, with no reflection, so a test can build a
/// registry with one component.
/// </summary>
public sealed class ComponentRegistry
{
    /// <summary>Creates a registry from factories in order.</summary>
    public ComponentRegistry(params ImmutableArray<ComponentFactory> factories)
    {
        Factories = factories;
    }

    /// <summary>vLLM 2026-09's registry: attention (sliding windows), MLA attention, FFN, unembedding (logits tokens).</summary>
    public static ComponentRegistry Revision202609 { get; } = new(
        new ComponentFactory("attn", source => AttentionMetrics.From(source, AttentionAccounting.Revision202609)),
        new ComponentFactory("mla_attn", MlaAttentionMetrics.From),
        new ComponentFactory("ffn", source => FfnMetrics.From(source, FfnAccounting.Revision202609)),
        new ComponentFactory("unembed", source => UnembedMetrics.From(source, UnembedAccounting.Revision202609)));

    /// <summary>vLLM 2025-12's registry: attention, FFN, unembedding, in that order (no MLA component: 2025-12 has none).</summary>
    public static ComponentRegistry Revision202512 { get; } = new(
        new ComponentFactory("attn", source => AttentionMetrics.From(source, AttentionAccounting.Revision202512)),
        new ComponentFactory("ffn", source => FfnMetrics.From(source, FfnAccounting.Revision202512)),
        new ComponentFactory("unembed", source => UnembedMetrics.From(source, UnembedAccounting.Revision202512)));

    /// <summary>The registry of <paramref name="revision"/>: <see cref="Revision202512"/> for 2025-12, <see cref="Revision202609"/> for 2026-09.</summary>
    public static ComponentRegistry For(VllmRevision revision) =>
        revision.Ordinal >= VllmRevision.V2026_09.Ordinal ? Revision202609 : Revision202512;

    /// <summary>The registry of <see cref="VllmRevision.Default"/>.</summary>
    public static ComponentRegistry Default => For(VllmRevision.Default);

    /// <summary>The factories, in order.</summary>
    public ImmutableArray<ComponentFactory> Factories { get; }
}

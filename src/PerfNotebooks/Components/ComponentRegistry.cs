using System.Collections.Immutable;

namespace PerfNotebooks.Components;

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

    /// <summary>vLLM's registry: attention, FFN, unembedding, in that order.</summary>
    public static ComponentRegistry Default { get; } = new(
        new ComponentFactory("attn", AttentionMetrics.From),
        new ComponentFactory("ffn", FfnMetrics.From),
        new ComponentFactory("unembed", UnembedMetrics.From));

    /// <summary>The factories, in order.</summary>
    public ImmutableArray<ComponentFactory> Factories { get; }
}

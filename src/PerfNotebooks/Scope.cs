namespace PerfNotebooks;

/// <summary>Whether counts are for one GPU (divided by the parallel layout) or for the whole model.</summary>
public enum Scope
{
    /// <summary>One GPU's share: layers divided by pipeline stages, heads and FFN widths by tensor/expert ranks.</summary>
    PerGpu,

    /// <summary>The whole model, on every GPU together.</summary>
    WholeModel,
}

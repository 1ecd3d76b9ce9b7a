namespace PerfNotebooks.Vllm.Components;

/// <summary>The result of building a component from a config: created, or skipped with the reason.</summary>
public abstract record ComponentOutcome
{
    private ComponentOutcome()
    {
    }

    /// <summary>The component's name (<c>attn</c>, <c>ffn</c>, <c>unembed</c>).</summary>
    public abstract string Component { get; }

    /// <summary>The component was built.</summary>
    /// <param name="Metrics">The component.</param>
    public sealed record Created(IComponentMetrics Metrics) : ComponentOutcome
    {
        /// <inheritdoc />
        public override string Component => Metrics.Name;
    }

    /// <summary>The component does not apply to this model; the model is evaluated without it.</summary>
    /// <param name="Name">The component's name.</param>
    /// <param name="Reason">The cause.</param>
    /// <param name="Detail">What exactly was wrong, naming the field and value.</param>
    public sealed record Skipped(string Name, SkipReason Reason, string Detail) : ComponentOutcome
    {
        /// <inheritdoc />
        public override string Component => Name;

        /// <summary>The reason in vLLM golden-file form (<c>unsupported_quant_method</c>).</summary>
        public string ReasonName => Reason switch
        {
            SkipReason.UnsupportedQuantMethod => "unsupported_quant_method",
            SkipReason.MissingRequiredAttr => "missing_required_attr",
            SkipReason.UsesMla => "uses_mla",
            SkipReason.NotMla => "not_mla",
            _ => "validation_error",
        };
    }
}

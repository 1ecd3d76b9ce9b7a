namespace PerfNotebooks.Vllm.Components;

/// <summary>Why a component does not apply to a model (vLLM's <c>InvalidComponent</c> causes).</summary>
public enum SkipReason
{
    /// <summary>The checkpoint's quantization method is not one the perf model understands.</summary>
    UnsupportedQuantMethod,

    /// <summary>The config lacks a key the component requires.</summary>
    MissingRequiredAttr,

    /// <summary>A field failed validation (zero, negative, None, not an integer, or an MoE field missing).</summary>
    ValidationError,

    /// <summary>The model uses MLA, so standard attention does not apply (revision 2026-09's <c>uses_mla</c>).</summary>
    UsesMla,

    /// <summary>The model does not use MLA, so MLA attention does not apply (revision 2026-09's <c>not_mla</c>).</summary>
    NotMla,
}

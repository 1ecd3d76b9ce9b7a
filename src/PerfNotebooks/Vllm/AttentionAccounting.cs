using PerfNotebooks.Vllm.Components;
using PerfNotebooks.Vllm.Parsers;

namespace PerfNotebooks.Vllm;

/// <summary>
/// What a vLLM revision's <c>AttentionMetrics</c> does differently: which parsers fill it and how it counts layers.
/// The formulas are the same in every revision; <see cref="AttentionMetrics"/> takes one of these.
/// </summary>
internal sealed class AttentionAccounting : ComponentAccounting
{
    private AttentionAccounting(string revision, ParserChain parsers, bool averageStage)
        : base(revision, parsers)
    {
        AverageStage = averageStage;
    }

    /// <summary>
    /// vLLM 2025-12 (PR #30738): base fields with 2-byte activations, attention fields, the fp8/mxfp4 quantization
    /// parser; every layer attends to the whole context; layers per GPU are <c>L // pp</c> and every term is an exact integer.
    /// </summary>
    public static AttentionAccounting Revision202512 { get; } = new(
        "2025-12", new(new BaseConfigParser(), new BaseAttentionConfigParser(), new QuantizationConfigParser()), averageStage: false);

    /// <summary>
    /// vLLM 2026-09 (upstream commit <c>00cee63e</c>), in upstream's parser order: MLA guard, base fields (activations
    /// at the dtype), attention fields, window, quantization table; full and sliding layers (<c>_layer_counts</c>),
    /// per GPU <c>L / pp</c> as a double (the average stage), each term an exact integer product converted to an IEEE
    /// double, times the layer count, summed in double and truncated.
    /// </summary>
    public static AttentionAccounting Revision202609 { get; } = new(
        "2026-09",
        new(new AttentionDetectionParser(), new ModelDtypeBaseConfigParser(), new BaseAttentionConfigParser(),
            new SlidingWindowAttentionParser(), new QuantizationTableParser()),
        averageStage: true);

    /// <summary>
    /// True for upstream's fractional layer counts in doubles (and sliding-window layers, with the window and sliding
    /// layer count among the component's fields); false for whole layers per stage in exact integers.
    /// </summary>
    public bool AverageStage { get; }

    /// <summary>The accounting of <paramref name="revision"/>.</summary>
    public static AttentionAccounting For(VllmRevision revision) =>
        Pick(revision, Revision202512, Revision202609);
}

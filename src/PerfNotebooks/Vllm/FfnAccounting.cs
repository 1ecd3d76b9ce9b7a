using PerfNotebooks.Vllm.Components;
using PerfNotebooks.Vllm.Parsers;

namespace PerfNotebooks.Vllm;

/// <summary>
/// What a vLLM revision's <c>FfnMetrics</c> does differently: which parsers fill it. The formulas are the same in
/// every revision; <see cref="FfnMetrics"/> takes one of these.
/// </summary>
internal sealed class FfnAccounting : ComponentAccounting
{
    private FfnAccounting(string revision, ParserChain parsers)
        : base(revision, parsers)
    {
    }

    /// <summary>
    /// vLLM 2025-12 (PR #30738), in its parser order: base fields with 2-byte activations, FFN parallel sizes, FFN
    /// fields, interleaved and frequency MoE layers, the fp8/mxfp4 quantization parser.
    /// </summary>
    public static FfnAccounting Revision202512 { get; } = new(
        "2025-12",
        new(new BaseConfigParser(), new FfnParallelParser(), new BaseFfnConfigParser(),
            new InterleaveMoeLayerStepParser(), new MoeLayerFreqParser(), new QuantizationConfigParser()));

    /// <summary>
    /// vLLM 2026-09 (upstream commit <c>00cee63e</c>): activations at the model dtype, top-k from
    /// <c>get_num_experts_per_tok</c>, the quantization table.
    /// </summary>
    public static FfnAccounting Revision202609 { get; } = new(
        "2026-09",
        new(new ModelDtypeBaseConfigParser(), new FfnParallelParser(), new ExpertsPerTokenFfnConfigParser(),
            new InterleaveMoeLayerStepParser(), new MoeLayerFreqParser(), new QuantizationTableParser()));

    /// <summary>The accounting of <paramref name="revision"/>.</summary>
    public static FfnAccounting For(VllmRevision revision) =>
        Pick(revision, Revision202512, Revision202609);
}

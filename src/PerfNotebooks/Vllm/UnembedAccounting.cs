using PerfNotebooks.Vllm.Components;
using PerfNotebooks.Vllm.Parsers;

namespace PerfNotebooks.Vllm;

/// <summary>
/// What a vLLM revision's <c>UnembedMetrics</c> does differently: which parsers fill it and which tokens it bills.
/// The formulas are the same in every revision; <see cref="UnembedMetrics"/> takes one of these.
/// </summary>
internal sealed class UnembedAccounting : ComponentAccounting
{
    private UnembedAccounting(string revision, ParserChain parsers, bool logitsTokensOnly)
        : base(revision, parsers)
    {
        LogitsTokensOnly = logitsTokensOnly;
    }

    /// <summary>vLLM 2025-12 (PR #30738): base fields with 2-byte activations; every scheduled token is billed.</summary>
    public static UnembedAccounting Revision202512 { get; } = new("2025-12", new(new BaseConfigParser()), logitsTokensOnly: false);

    /// <summary>
    /// vLLM 2026-09 (upstream commit <c>00cee63e</c>): base fields with activations at the model dtype; only the tokens
    /// that produce logits are billed.
    /// </summary>
    public static UnembedAccounting Revision202609 { get; } = new("2026-09", new(new ModelDtypeBaseConfigParser()), logitsTokensOnly: true);

    /// <summary>
    /// True to bill the tokens that produce logits (<see cref="Batch.LogitsTokens"/>: one per prefill request, every
    /// decode token), false to bill every scheduled token.
    /// </summary>
    public bool LogitsTokensOnly { get; }

    /// <summary>The accounting of <paramref name="revision"/>.</summary>
    public static UnembedAccounting For(VllmRevision revision) =>
        Pick(revision, Revision202512, Revision202609);
}

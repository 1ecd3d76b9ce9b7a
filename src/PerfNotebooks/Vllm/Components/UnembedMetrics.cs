using System.Collections.Immutable;
using System.Numerics;
using PerfNotebooks.Internal;
using PerfNotebooks.Models;
using PerfNotebooks.Vllm.Parsers;

namespace PerfNotebooks.Vllm.Components;

/// <summary>The unembedding (LM head) projection from hidden states to vocabulary logits, as vLLM's <c>UnembedMetrics</c>
/// (2025-12: every scheduled token; 2026-09: the tokens that produce logits, see <see cref="LogitsTokensOnly"/>); what a
/// revision does differently is its <see cref="Accounting"/>.</summary>
/// <remarks>
/// Per GPU, the vocabulary is divided by the tensor-parallel size (floor). Quirks kept from vLLM: logits are counted
/// for every scheduled token, not only the last token of each prefill; weights are read at the model dtype even
/// when the checkpoint is quantized.
/// </remarks>
public sealed class UnembedMetrics : IComponentMetrics
{
    private static readonly TermKey Unembed = new("unembed", "unembed");
    private static readonly TermKey Input = new("unembed", "input");
    private static readonly TermKey Weight = new("unembed", "weight");
    private static readonly TermKey Output = new("unembed", "output");

    /// <summary>vLLM 2025-12's parsers (<see cref="UnembedAccounting.Revision202512"/>): base fields only.</summary>
    internal static ParserChain Parsers => UnembedAccounting.Revision202512.Parsers;

    private readonly long _vocabPerGpu;

    private UnembedMetrics(long hiddenSize, long vocabSize, long weightBytes, long activationBytes, long tensorParallel, UnembedAccounting accounting)
    {
        Accounting = accounting;
        LogitsTokensOnly = accounting.LogitsTokensOnly;
        HiddenSize = hiddenSize;
        VocabSize = vocabSize;
        WeightByteSize = weightBytes;
        ActivationByteSize = activationBytes;
        TensorParallel = tensorParallel;
        _vocabPerGpu = PyMath.FloorDiv(vocabSize, tensorParallel);
    }

    /// <inheritdoc />
    public string Name => "unembed";

    /// <summary>How this revision of vLLM counts the unembedding: its parsers and the tokens it bills.</summary>
    internal UnembedAccounting Accounting { get; }

    /// <summary>Model width.</summary>
    public long HiddenSize { get; }

    /// <summary>Vocabulary size.</summary>
    public long VocabSize { get; }

    /// <summary>Bytes per weight element (the model dtype).</summary>
    public long WeightByteSize { get; }

    /// <summary>Bytes per activation element.</summary>
    public long ActivationByteSize { get; }

    /// <summary>Tensor-parallel ranks.</summary>
    public long TensorParallel { get; }

    /// <summary>
    /// Whether only the tokens that produce logits are billed (<see cref="Batch.LogitsTokens"/>: one per prefill
    /// request, every decode token), as vLLM 2026-09 does, rather than every scheduled token (2025-12).
    /// </summary>
    /// <remarks>Upstream quirk kept: a prefill request that schedules 0 tokens still counts one logits token.</remarks>
    public bool LogitsTokensOnly { get; }

    /// <inheritdoc />
    public ImmutableArray<ComponentField> Fields =>
    [
        new("hidden_size", HiddenSize), new("vocab_size", VocabSize), new("weight_byte_size", WeightByteSize),
        new("activation_byte_size", ActivationByteSize), new("tp_size", TensorParallel),
    ];

    /// <summary>Builds vLLM 2025-12's component from parsed args; sizes must be greater than 0.</summary>
    internal static ComponentOutcome From(ParsedArgs args) => From(args, UnembedAccounting.Revision202512);

    /// <summary>Builds the component of <paramref name="accounting"/>'s revision from parsed args; sizes must be greater than 0.</summary>
    internal static ComponentOutcome From(ParsedArgs args, UnembedAccounting accounting)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(accounting);
        if (args.Skip is { } skip)
        {
            return skip with { Name = "unembed" };
        }

        var v = new FieldValidator("unembed", args);
        var hidden = v.Positive(args.HiddenSize, "hidden_size");
        var vocab = v.Positive(args.VocabSize, "vocab_size");
        v.Require(args.WeightByteSize is { IsWholeBytes: true }, "weight_byte_size must be a whole number of bytes");
        var activation = v.Positive(args.ActivationByteSize, "activation_byte_size");
        var tp = v.Positive(args.TensorParallel, "tp_size");
        return v.Failure as ComponentOutcome ?? new ComponentOutcome.Created(
            new UnembedMetrics(hidden, vocab, args.WeightByteSize!.Value.Bits / 8, activation, tp, accounting));
    }

    /// <summary>Builds vLLM 2025-12's component from a resolved model config.</summary>
    public static ComponentOutcome From(ModelSource source) => From(source, UnembedAccounting.Revision202512);

    /// <summary>Builds the component of <paramref name="accounting"/>'s revision from a resolved model config.</summary>
    internal static ComponentOutcome From(ModelSource source, UnembedAccounting accounting)
    {
        ArgumentNullException.ThrowIfNull(accounting);
        return From(accounting.Parsers.Parse(source), accounting);
    }

    void IComponentMetrics.WriteInt64(Metric metric, in Batch ctx, Scope scope, ref TermBuffer terms) => WriteInt64(metric, ctx, scope, ref terms);

    void IComponentMetrics.WriteInt128(Metric metric, in Batch ctx, Scope scope, ref TermBuffer terms) => WriteInt128(metric, ctx, scope, ref terms);

    /// <inheritdoc />
    internal void WriteInt64(Metric metric, in Batch ctx, Scope scope, ref TermBuffer terms) =>
        WriteCore<long>(metric, ctx, scope, ref terms);

    /// <inheritdoc />
    internal void WriteInt128(Metric metric, in Batch ctx, Scope scope, ref TermBuffer terms) =>
        WriteCore<Int128>(metric, ctx, scope, ref terms);

    private void WriteCore<T>(Metric metric, in Batch ctx, Scope scope, ref TermBuffer terms)
        where T : IBinaryInteger<T>
    {
        T hidden = T.CreateTruncating(HiddenSize), tokens = T.CreateTruncating(LogitsTokensOnly ? ctx.LogitsTokens : ctx.TotalTokens);
        T vocab = T.CreateTruncating(scope == Scope.PerGpu ? _vocabPerGpu : VocabSize);
        T act = T.CreateTruncating(ActivationByteSize);
        checked
        {
            switch (metric)
            {
                case Metric.Flops:
                    terms.Add(Unembed, Int128.CreateTruncating(T.CreateTruncating(2) * tokens * hidden * vocab));
                    break;
                case Metric.ReadBytes:
                    terms.Add(Input, Int128.CreateTruncating(tokens * hidden * act));
                    terms.Add(Weight, Int128.CreateTruncating(hidden * vocab * T.CreateTruncating(WeightByteSize)));
                    break;
                default:
                    terms.Add(Output, Int128.CreateTruncating(tokens * vocab * act));
                    break;
            }
        }
    }
}

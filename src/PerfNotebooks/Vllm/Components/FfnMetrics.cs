using System.Collections.Immutable;
using System.Numerics;
using PerfNotebooks.Internal;
using PerfNotebooks.Models;
using PerfNotebooks.Vllm.Parsers;

namespace PerfNotebooks.Vllm.Components;

/// <summary>
/// The feed-forward network: dense SwiGLU layers, routed MoE experts and shared experts, as vLLM's <c>FfnMetrics</c>.
/// The formulas are the same in every revision; only the parsers that fill it differ (<see cref="FfnAccounting"/>).
/// </summary>
/// <remarks>
/// Per GPU, dense and MoE layer counts are divided by the pipeline stages (floor), FFN widths by the FFN
/// tensor-parallel size (DP × TP without EP), and routed tokens and experts by the expert-parallel size (DP × TP with
/// EP). Quirks kept from vLLM: perfect load balance (experts read = min(routed tokens, experts)); the shared-expert
/// <c>shared_down_input</c> omits the shared-expert count; SiLU reads are counted at twice the width.
/// </remarks>
public sealed class FfnMetrics : IComponentMetrics
{
    private const string Component = "ffn";
    private static readonly TermKey DenseFfn = new(Component, "dense_ffn");
    private static readonly TermKey RoutedFfn = new(Component, "routed_ffn");
    private static readonly TermKey SharedFfn = new(Component, "shared_ffn");
    private static readonly TermKey DenseUpGateInput = new(Component, "dense_up_gate_input");
    private static readonly TermKey DenseUpGateWeights = new(Component, "dense_up_gate_weights");
    private static readonly TermKey DenseSiluInput = new(Component, "dense_silu_input");
    private static readonly TermKey DenseDownInput = new(Component, "dense_down_input");
    private static readonly TermKey DenseDownWeights = new(Component, "dense_down_weights");
    private static readonly TermKey RoutedUpGateInput = new(Component, "routed_up_gate_input");
    private static readonly TermKey RoutedUpGateWeights = new(Component, "routed_up_gate_weights");
    private static readonly TermKey RoutedSiluInput = new(Component, "routed_silu_input");
    private static readonly TermKey RoutedDownInput = new(Component, "routed_down_input");
    private static readonly TermKey RoutedDownWeights = new(Component, "routed_down_weights");
    private static readonly TermKey SharedUpGateInput = new(Component, "shared_up_gate_input");
    private static readonly TermKey SharedUpGateWeights = new(Component, "shared_up_gate_weights");
    private static readonly TermKey SharedSiluInput = new(Component, "shared_silu_input");
    private static readonly TermKey SharedDownInput = new(Component, "shared_down_input");
    private static readonly TermKey SharedDownWeights = new(Component, "shared_down_weights");
    private static readonly TermKey DenseUpGateOutput = new(Component, "dense_up_gate_output");
    private static readonly TermKey DenseSiluOutput = new(Component, "dense_silu_output");
    private static readonly TermKey DenseDownOutput = new(Component, "dense_down_output");
    private static readonly TermKey RoutedUpGateOutput = new(Component, "routed_up_gate_output");
    private static readonly TermKey RoutedSiluOutput = new(Component, "routed_silu_output");
    private static readonly TermKey RoutedDownOutput = new(Component, "routed_down_output");
    private static readonly TermKey SharedUpGateOutput = new(Component, "shared_up_gate_output");
    private static readonly TermKey SharedSiluOutput = new(Component, "shared_silu_output");
    private static readonly TermKey SharedDownOutput = new(Component, "shared_down_output");

    /// <summary>vLLM 2025-12's parsers (<see cref="FfnAccounting.Revision202512"/>), in its order.</summary>
    internal static ParserChain Parsers => FfnAccounting.Revision202512.Parsers;

    private readonly Dims _whole;
    private readonly Dims _perGpu;

    private FfnMetrics(long[] v, ByteSize weightSize)
    {
        Layers = v[0];
        HiddenSize = v[1];
        ActivationByteSize = v[2];
        PipelineParallel = v[3];
        FfnTensorParallel = v[4];
        FfnExpertParallel = v[5];
        IntermediateSize = v[6];
        Experts = v[7];
        ExpertsPerToken = v[8];
        MoeIntermediateSize = v[9];
        SharedExperts = v[10];
        MoeLayers = v[11];
        WeightByteSize = weightSize;
        _whole = new Dims(Layers - MoeLayers, MoeLayers, IntermediateSize, MoeIntermediateSize, Experts, 1);
        _perGpu = new Dims(
            PyMath.FloorDiv(Layers - MoeLayers, PipelineParallel), PyMath.FloorDiv(MoeLayers, PipelineParallel),
            PyMath.FloorDiv(IntermediateSize, FfnTensorParallel), PyMath.FloorDiv(MoeIntermediateSize, FfnTensorParallel),
            PyMath.FloorDiv(Experts, FfnExpertParallel), FfnExpertParallel);
    }

    /// <inheritdoc />
    public string Name => Component;

    /// <summary>Transformer layers (all stages).</summary>
    public long Layers { get; }

    /// <summary>Model width.</summary>
    public long HiddenSize { get; }

    /// <summary>Bytes per activation element.</summary>
    public long ActivationByteSize { get; }

    /// <summary>Pipeline stages.</summary>
    public long PipelineParallel { get; }

    /// <summary>Tensor-parallel ranks of the FFN.</summary>
    public long FfnTensorParallel { get; }

    /// <summary>Expert-parallel ranks of the FFN.</summary>
    public long FfnExpertParallel { get; }

    /// <summary>Dense FFN width.</summary>
    public long IntermediateSize { get; }

    /// <summary>Routed experts (0 for a dense model).</summary>
    public long Experts { get; }

    /// <summary>Experts each token activates.</summary>
    public long ExpertsPerToken { get; }

    /// <summary>Width of one expert.</summary>
    public long MoeIntermediateSize { get; }

    /// <summary>Shared experts every token runs.</summary>
    public long SharedExperts { get; }

    /// <summary>Layers with an MoE FFN; the rest are dense.</summary>
    public long MoeLayers { get; }

    /// <summary>Size of one weight element.</summary>
    public ByteSize WeightByteSize { get; }

    /// <inheritdoc />
    public ImmutableArray<ComponentField> Fields =>
    [
        new("num_hidden_layers", Layers), new("hidden_size", HiddenSize), new("activation_byte_size", ActivationByteSize),
        new("pp_size", PipelineParallel), new("ffn_tp_size", FfnTensorParallel), new("ffn_ep_size", FfnExpertParallel),
        new("intermediate_size", IntermediateSize), new("num_experts", Experts), new("num_experts_per_tok", ExpertsPerToken),
        new("moe_intermediate_size", MoeIntermediateSize), new("num_shared_experts", SharedExperts),
        new("num_moe_layers", MoeLayers), new("weight_byte_size", WeightByteSize.Bytes),
    ];

    /// <summary>
    /// Builds the component from parsed args. Widths, layers and parallel sizes must be greater than 0, the MoE layer
    /// count at least 0; with MoE layers, experts, top-k and expert width must be non-zero.
    /// </summary>
    /// <remarks>
    /// Stricter than vLLM, whose <c>num_experts</c>, <c>num_experts_per_tok</c>, <c>moe_intermediate_size</c> and
    /// <c>num_shared_experts</c> fields carry no bound (<c>Field(0)</c>) and so turn a negative config value into
    /// negative byte counts: here a negative value skips the component as a <c>validation_error</c>.
    /// </remarks>
    internal static ComponentOutcome From(ParsedArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Skip is { } skip)
        {
            return skip with { Name = Component };
        }

        var v = new FieldValidator(Component, args);
        long[] values =
        [
            v.Positive(args.NumHiddenLayers, "num_hidden_layers"),
            v.Positive(args.HiddenSize, "hidden_size"),
            v.Positive(args.ActivationByteSize, "activation_byte_size"),
            v.Positive(args.PipelineParallel, "pp_size"),
            v.Positive(args.FfnTensorParallel, "ffn_tp_size"),
            v.Positive(args.FfnExpertParallel, "ffn_ep_size"),
            v.Positive(args.IntermediateSize, "intermediate_size"),
            v.NonNegative(args.NumExperts, "num_experts"),
            v.NonNegative(args.NumExpertsPerToken, "num_experts_per_tok"),
            v.NonNegative(args.MoeIntermediateSize, "moe_intermediate_size"),
            v.NonNegative(args.NumSharedExperts, "num_shared_experts"),
            v.NonNegative(args.NumMoeLayers, "num_moe_layers"),
        ];
        v.Require(args.WeightByteSize is not null, "weight_byte_size is missing");
        if (v.Failure is null && values[11] > 0)
        {
            v.Require(values[7] != 0, $"the model has {values[11]} MoE layers but num_experts is 0");
            v.Require(values[8] != 0, $"the model has {values[11]} MoE layers but num_experts_per_tok is 0");
            v.Require(values[9] != 0, $"the model has {values[11]} MoE layers but moe_intermediate_size is 0");
        }

        return v.Failure as ComponentOutcome ?? new ComponentOutcome.Created(new FfnMetrics(values, args.WeightByteSize!.Value));
    }

    /// <summary>Builds vLLM 2025-12's component from a resolved model config.</summary>
    public static ComponentOutcome From(ModelSource source) => From(source, FfnAccounting.Revision202512);

    /// <summary>Builds the component of <paramref name="accounting"/>'s revision from a resolved model config.</summary>
    internal static ComponentOutcome From(ModelSource source, FfnAccounting accounting)
    {
        ArgumentNullException.ThrowIfNull(accounting);
        return From(accounting.Parsers.Parse(source));
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
        var dims = scope == Scope.PerGpu ? _perGpu : _whole;
        T denseLayers = T.CreateTruncating(dims.DenseLayers), moeLayers = T.CreateTruncating(dims.MoeLayers);
        T di = T.CreateTruncating(dims.Intermediate), mi = T.CreateTruncating(dims.MoeIntermediate);
        T experts = T.CreateTruncating(dims.Experts), topK = T.CreateTruncating(ExpertsPerToken);
        T hidden = T.CreateTruncating(HiddenSize), shared = T.CreateTruncating(SharedExperts), act = T.CreateTruncating(ActivationByteSize);
        T tokens = T.CreateTruncating(ctx.TotalTokens), two = T.CreateTruncating(2), three = T.CreateTruncating(3);
        checked
        {
            var routed = T.IsZero(topK) ? T.Zero : PyFloorDiv(tokens * topK, T.CreateTruncating(dims.ExpertDivisor));
            var dense = !T.IsZero(denseLayers);
            var moe = !T.IsZero(moeLayers);
            switch (metric)
            {
                case Metric.Flops:
                    if (dense)
                    {
                        Add(ref terms, DenseFfn, two * hidden * three * di * tokens * denseLayers);
                    }

                    if (moe && !T.IsZero(topK))
                    {
                        Add(ref terms, RoutedFfn, two * hidden * three * mi * routed * moeLayers);
                    }

                    if (moe && !T.IsZero(shared))
                    {
                        Add(ref terms, SharedFfn, two * hidden * three * mi * shared * tokens * moeLayers);
                    }

                    break;
                case Metric.ReadBytes:
                    if (dense)
                    {
                        Add(ref terms, DenseUpGateInput, tokens * hidden * act * denseLayers);
                        Add(ref terms, DenseUpGateWeights, WeightByteSize.Scale(two * hidden * di, denseLayers));
                        Add(ref terms, DenseSiluInput, two * tokens * di * act * denseLayers);
                        Add(ref terms, DenseDownInput, tokens * di * act * denseLayers);
                        Add(ref terms, DenseDownWeights, WeightByteSize.Scale(hidden * di, denseLayers));
                    }

                    if (moe)
                    {
                        if (!T.IsZero(topK))
                        {
                            var activeExperts = T.Min(routed, experts);
                            Add(ref terms, RoutedUpGateInput, routed * hidden * act * moeLayers);
                            Add(ref terms, RoutedUpGateWeights, WeightByteSize.Scale(two * hidden * mi * activeExperts, moeLayers));
                            Add(ref terms, RoutedSiluInput, two * routed * mi * act * moeLayers);
                            Add(ref terms, RoutedDownInput, routed * mi * act * moeLayers);
                            Add(ref terms, RoutedDownWeights, WeightByteSize.Scale(hidden * mi * activeExperts, moeLayers));
                        }

                        if (!T.IsZero(shared))
                        {
                            Add(ref terms, SharedUpGateInput, tokens * hidden * act * moeLayers);
                            Add(ref terms, SharedUpGateWeights, WeightByteSize.Scale(two * hidden * mi * shared, moeLayers));
                            Add(ref terms, SharedSiluInput, two * tokens * mi * shared * act * moeLayers);
                            Add(ref terms, SharedDownInput, tokens * mi * act * moeLayers);
                            Add(ref terms, SharedDownWeights, WeightByteSize.Scale(hidden * mi * shared, moeLayers));
                        }
                    }

                    break;
                default:
                    if (dense)
                    {
                        Add(ref terms, DenseUpGateOutput, two * tokens * di * act * denseLayers);
                        Add(ref terms, DenseSiluOutput, tokens * di * act * denseLayers);
                        Add(ref terms, DenseDownOutput, tokens * hidden * act * denseLayers);
                    }

                    if (moe)
                    {
                        if (!T.IsZero(topK))
                        {
                            Add(ref terms, RoutedUpGateOutput, two * routed * mi * act * moeLayers);
                            Add(ref terms, RoutedSiluOutput, routed * mi * act * moeLayers);
                            Add(ref terms, RoutedDownOutput, routed * hidden * act * moeLayers);
                        }

                        if (!T.IsZero(shared))
                        {
                            Add(ref terms, SharedUpGateOutput, two * tokens * shared * mi * act * moeLayers);
                            Add(ref terms, SharedSiluOutput, tokens * shared * mi * act * moeLayers);
                            Add(ref terms, SharedDownOutput, tokens * shared * hidden * act * moeLayers);
                        }
                    }

                    break;
            }
        }
    }

    private static void Add<T>(ref TermBuffer terms, TermKey key, T value)
        where T : IBinaryInteger<T> => terms.Add(key, Int128.CreateTruncating(value));

    private static T PyFloorDiv<T>(T a, T b)
        where T : IBinaryInteger<T>
    {
        var quotient = a / b;
        return !T.IsZero(a % b) && (T.IsNegative(a) != T.IsNegative(b)) ? quotient - T.One : quotient;
    }

    // Dense and MoE layers, FFN widths, experts and the divisor of routed tokens billed at one scope.
    private readonly record struct Dims(long DenseLayers, long MoeLayers, long Intermediate, long MoeIntermediate, long Experts, long ExpertDivisor);
}

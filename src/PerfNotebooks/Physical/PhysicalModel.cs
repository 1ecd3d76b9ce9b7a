using System.Collections.Immutable;
using System.Globalization;
using PerfNotebooks.Models;
namespace PerfNotebooks.Physical;

/// <summary>
/// The physical book's view of a model: shapes read from the config itself (not through vLLM's perf-model parsers,
/// whose quirks stay in the vLLM book), weight formats as the bytes really stored, parameter counts, and the per-GPU
/// weight and KV-cache bytes of the engine layout (TP, PP, DP, EP).
/// </summary>
/// <remarks>
/// Covers dense and MoE FFNs (routed experts on MoE layers only, shared experts, Llama-4's interleaved dense layers
/// with <c>intermediate_size_mlp</c>), sliding-window and chunked-local attention layers (<c>layer_types</c>,
/// <c>sliding_window</c>, Llama-4 <c>attention_chunk_size</c>), MLA (<c>kv_lora_rank</c>), and AWQ/GPTQ, fp8, NVFP4,
/// MXFP4 and compressed-tensors weights. Anything it cannot model is listed in <see cref="Warnings"/>.
/// </remarks>
public sealed class PhysicalModel
{
    private PhysicalModel(ModelSource source)
    {
        Source = source;
        var shape = source.Shape;
        var warnings = ImmutableArray.CreateBuilder<string>();
        HiddenSize = shape.HiddenSize;
        Layers = shape.Layers;
        Heads = shape.Heads;
        KvHeads = shape.KvHeads;
        HeadDim = shape.HeadDim;
        VocabSize = shape.VocabSize;
        TiedEmbeddings = shape.TiedEmbeddings;
        KvLoraRank = shape.KvLoraRank;
        QLoraRank = shape.QLoraRank;
        RopeHeadDim = shape.RopeHeadDim;
        NopeHeadDim = shape.NopeHeadDim;
        VHeadDim = shape.VHeadDim;
        Experts = shape.Experts;
        TopK = shape.TopK;
        DenseIntermediateSize = shape.DenseIntermediateSize;
        ExpertIntermediateSize = shape.ExpertIntermediateSize;
        SharedIntermediateSize = shape.SharedIntermediateSize;
        MoeLayers = shape.MoeLayers;
        DenseLayers = Layers - MoeLayers;
        if (DenseLayers > 0 && DenseIntermediateSize <= 0)
        {
            warnings.Add($"{source.Config.Source}: no intermediate_size for the {DenseLayers} dense FFN layers; their weights and time are missing");
        }

        SlidingLayers = shape.SlidingLayers;
        Window = shape.Window;

        var modelDtype = source.Dtype switch
        {
            ModelDtype.Float16 => KernelDtype.Float16,
            ModelDtype.Float32 => KernelDtype.Fp32,
            _ => KernelDtype.BFloat16,
        };
        ActivationDtype = modelDtype;
        ActivationBytes = source.Dtype.Bytes();
        EmbeddingFormat = WeightFormat.Plain(modelDtype);
        (LinearFormat, ExpertFormat) = ResolveFormats(shape.Quantization, source.Config.Source, EmbeddingFormat, warnings);
        CacheBytes = source.CacheByteSize;
        KvDtype = CacheBytes == 1 ? KernelDtype.Fp8 : modelDtype;
        Warnings = warnings.ToImmutable();
    }

    /// <summary>The resolved model and engine settings.</summary>
    public ModelSource Source { get; }

    /// <summary>Model hidden size.</summary>
    public long HiddenSize { get; }

    /// <summary>Decoder layers.</summary>
    public long Layers { get; }

    /// <summary>Query heads (whole model).</summary>
    public long Heads { get; }

    /// <summary>KV heads (whole model).</summary>
    public long KvHeads { get; }

    /// <summary>Head size, elements.</summary>
    public long HeadDim { get; }

    /// <summary>Vocabulary size.</summary>
    public long VocabSize { get; }

    /// <summary>Whether the unembedding shares the input embedding's weights.</summary>
    public bool TiedEmbeddings { get; }

    /// <summary>MLA latent KV rank (0 for ordinary attention).</summary>
    public long KvLoraRank { get; }

    /// <summary>MLA query latent rank (0 when queries are not compressed).</summary>
    public long QLoraRank { get; }

    /// <summary>MLA rotary part of each head, elements.</summary>
    public long RopeHeadDim { get; }

    /// <summary>MLA non-rotary part of each query/key head, elements.</summary>
    public long NopeHeadDim { get; }

    /// <summary>MLA value head size, elements.</summary>
    public long VHeadDim { get; }

    /// <summary>Whether attention is MLA (a compressed latent KV cache).</summary>
    public bool IsMla => KvLoraRank > 0;

    /// <summary>Routed experts (0 for a dense model).</summary>
    public long Experts { get; }

    /// <summary>Experts each token is routed to.</summary>
    public long TopK { get; }

    /// <summary>Dense FFN intermediate size (Llama-4: <c>intermediate_size_mlp</c>).</summary>
    public long DenseIntermediateSize { get; }

    /// <summary>One routed expert's intermediate size.</summary>
    public long ExpertIntermediateSize { get; }

    /// <summary>Shared experts' total intermediate size per MoE layer (Llama-4: one expert of <c>intermediate_size</c>).</summary>
    public long SharedIntermediateSize { get; }

    /// <summary>Layers whose FFN is a mixture of experts.</summary>
    public long MoeLayers { get; }

    /// <summary>Layers whose FFN is dense.</summary>
    public long DenseLayers { get; }

    /// <summary>Layers that attend to a window (sliding or chunked) rather than the whole context.</summary>
    public long SlidingLayers { get; }

    /// <summary>The window of <see cref="SlidingLayers"/>, tokens (0 when none).</summary>
    public long Window { get; }

    /// <summary>Layers that attend to the whole context.</summary>
    public long FullLayers => Layers - SlidingLayers;

    /// <summary>Precision of activations and attention math.</summary>
    public KernelDtype ActivationDtype { get; }

    /// <summary>Bytes per activation element.</summary>
    public int ActivationBytes { get; }

    /// <summary>Bytes per KV-cache element.</summary>
    public int CacheBytes { get; }

    /// <summary>Precision of the KV cache.</summary>
    public KernelDtype KvDtype { get; }

    /// <summary>Format of attention projections, dense FFN and shared experts.</summary>
    public WeightFormat LinearFormat { get; }

    /// <summary>Format of routed experts.</summary>
    public WeightFormat ExpertFormat { get; }

    /// <summary>Format of the embedding and unembedding (kept unquantized by every method modelled here).</summary>
    public WeightFormat EmbeddingFormat { get; }

    /// <summary>What this estimate leaves out or guesses; empty when complete. Show these next to every figure.</summary>
    public ImmutableArray<string> Warnings { get; }

    /// <summary>Whether every component is modelled (no <see cref="Warnings"/>).</summary>
    public bool IsComplete => Warnings.IsEmpty;

    /// <summary>Builds the physical model of <paramref name="source"/>.</summary>
    /// <exception cref="ModelConfigException">A shape the model needs is missing; names the key.</exception>
    public static PhysicalModel From(ModelSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new PhysicalModel(source);
    }

    /// <summary>Attention weights of one layer (whole model), elements.</summary>
    public long AttentionParametersPerLayer => IsMla
        ? checked((QLoraRank > 0 ? (HiddenSize * QLoraRank) + (QLoraRank * Heads * (NopeHeadDim + RopeHeadDim)) : HiddenSize * Heads * (NopeHeadDim + RopeHeadDim))
                  + (HiddenSize * (KvLoraRank + RopeHeadDim)) + (KvLoraRank * Heads * (NopeHeadDim + VHeadDim)) + (Heads * VHeadDim * HiddenSize))
        : checked((HiddenSize * (Heads + (2 * KvHeads)) * HeadDim) + (Heads * HeadDim * HiddenSize));

    /// <summary>Parameters of the whole model (embedding and unembedding included; norms and biases left out), elements.</summary>
    public double TotalParameters =>
        (double)Layers * AttentionParametersPerLayer
        + ((double)DenseLayers * 3 * HiddenSize * DenseIntermediateSize)
        + ((double)MoeLayers * ((Experts * 3.0 * HiddenSize * ExpertIntermediateSize) + (3.0 * HiddenSize * SharedIntermediateSize) + (HiddenSize * (double)Experts)))
        + ((double)VocabSize * HiddenSize * (TiedEmbeddings ? 1 : 2));

    /// <summary>Parameters one token is computed with (top-k routed experts instead of all), elements.</summary>
    public double ActiveParameters =>
        TotalParameters - ((double)MoeLayers * (Experts - TopK) * 3.0 * HiddenSize * ExpertIntermediateSize);

    /// <summary>Tensor-parallel size.</summary>
    public int TensorParallel => Source.Engine.TensorParallel;

    /// <summary>Pipeline-parallel size.</summary>
    public int PipelineParallel => Source.Engine.PipelineParallel;

    /// <summary>Data-parallel size.</summary>
    public int DataParallel => Source.Engine.DataParallel;

    /// <summary>Expert-parallel size: TP × DP when expert parallelism is on (vLLM's layout), else 1.</summary>
    public int ExpertParallel => Source.Engine.EnableExpertParallel && Experts > 0 ? checked(TensorParallel * DataParallel) : 1;

    /// <summary>How many ways each routed expert's intermediate dimension is split: TP × DP without EP (vLLM flattens
    /// the MoE tensor-parallel group across DP ranks), 1 with EP.</summary>
    public int ExpertTensorParallel => ExpertParallel > 1 ? 1 : checked(TensorParallel * DataParallel);

    /// <summary>KV heads held by one TP rank (a head is replicated when there are fewer KV heads than ranks).</summary>
    public long KvHeadsPerGpu => Math.Max(1, KvHeads / TensorParallel);

    /// <summary>Query heads on one TP rank.</summary>
    public long HeadsPerGpu => Math.Max(1, Heads / TensorParallel);

    /// <summary>Layers on the largest pipeline stage.</summary>
    public long LayersPerStage => (Layers + PipelineParallel - 1) / PipelineParallel;

    /// <summary>KV-cache bytes one token takes in one layer on one GPU (MLA: the latent, replicated on every TP rank).</summary>
    public double KvBytesPerTokenPerLayer => IsMla
        ? (double)(KvLoraRank + RopeHeadDim) * CacheBytes
        : 2.0 * KvHeadsPerGpu * HeadDim * CacheBytes;

    /// <summary>KV-cache bytes per token of context on one GPU in the full-attention layers of the largest stage (what
    /// grows with context; sliding layers hold at most <see cref="Window"/> tokens).</summary>
    public double KvBytesPerToken => KvBytesPerTokenPerLayer * Share(FullLayers);

    /// <summary>KV-cache bytes one sequence of <paramref name="contextLength"/> tokens takes on one GPU, windows included.</summary>
    public double KvBytesPerSequence(long contextLength) =>
        (KvBytesPerToken * contextLength) + (KvBytesPerTokenPerLayer * Share(SlidingLayers) * Math.Min(contextLength, Window));

    /// <summary>Weight bytes per GPU by part (largest stage; the embedding sits on the first stage and the unembedding
    /// on the last, so with PP only the larger of the two is counted).</summary>
    public ImmutableArray<(string Part, double Bytes)> WeightBytesPerGpu()
    {
        var parts = ImmutableArray.CreateBuilder<(string, double)>();
        var tp = (double)TensorParallel;
        parts.Add(("attn", LinearFormat.Bytes(AttentionParametersPerLayer / (IsMla ? 1 : tp) * LayersPerStage)));
        if (DenseLayers > 0)
        {
            parts.Add(("ffn.dense", LinearFormat.Bytes(3.0 * HiddenSize * DenseIntermediateSize / tp * Share(DenseLayers))));
        }

        if (MoeLayers > 0)
        {
            var expertsPerGpu = (double)Experts / ExpertParallel;
            parts.Add(("ffn.routed", ExpertFormat.Bytes(expertsPerGpu * 3.0 * HiddenSize * ExpertIntermediateSize / ExpertTensorParallel * Share(MoeLayers))));
            parts.Add(("ffn.router", EmbeddingFormat.Bytes((double)HiddenSize * Experts * Share(MoeLayers))));
            if (SharedIntermediateSize > 0)
            {
                parts.Add(("ffn.shared", LinearFormat.Bytes(3.0 * HiddenSize * SharedIntermediateSize / tp * Share(MoeLayers))));
            }
        }

        var table = EmbeddingFormat.Bytes((double)VocabSize * HiddenSize / tp);
        if (PipelineParallel == 1)
        {
            parts.Add(("unembed", table));
            if (!TiedEmbeddings)
            {
                parts.Add(("embed", table));
            }
        }
        else
        {
            parts.Add(("embed or unembed", table));
        }

        return parts.ToImmutable();
    }

    /// <summary>Layers of a kind on the largest stage: the kind's share of <see cref="LayersPerStage"/>.</summary>
    internal double Share(long layersOfKind) => Layers == 0 ? 0 : Math.Ceiling((double)layersOfKind / PipelineParallel);

    private static (WeightFormat Linear, WeightFormat Experts) ResolveFormats(WeightQuantization quant, string configSource, WeightFormat plain, ImmutableArray<string>.Builder warnings)
    {
        switch (quant.Method)
        {
            case null:
                return (plain, plain);
            case "fp8" or "fbgemm_fp8" or "ptpc_fp8":
                var fp8 = WeightFormat.Fp8(quant.BlockScaled);
                return (fp8, fp8);
            case "awq" or "awq_marlin" or "gptq" or "gptq_marlin" or "moe_wna16":
                {
                    // AutoAWQ and AutoGPTQ defaults: 4 bits, groups of 128; AWQ stores zero points unless told not to.
                    var bits = (int)(quant.Bits ?? 4);
                    var group = (int)(quant.GroupSize ?? 128);
                    var awq = quant.Method.StartsWith("awq", StringComparison.Ordinal);
                    var zero = !awq || quant.ZeroPoint != false;
                    var f = WeightFormat.IntWeightOnly(awq ? "awq" : "gptq", bits, group, zero);
                    return (f, f);
                }

            case "mxfp4":
                // gpt-oss quantizes only the routed experts (modules_to_not_convert lists attention, router, embeddings).
                return (plain, WeightFormat.Mxfp4);
            case "modelopt_fp4":
                return (WeightFormat.Nvfp4, WeightFormat.Nvfp4);
            case "modelopt":
                return (quant.QuantAlgo ?? string.Empty).Contains("FP4", StringComparison.OrdinalIgnoreCase)
                    ? (WeightFormat.Nvfp4, WeightFormat.Nvfp4)
                    : (WeightFormat.Fp8(false), WeightFormat.Fp8(false));
            case "compressed-tensors":
                if (quant.CompressedWeights is { } w)
                {
                    var f = w.IsFloat && w.Bits == 4 ? WeightFormat.Nvfp4
                        : w.IsFloat && w.Bits == 8 ? WeightFormat.Fp8(w.GroupSize > 0)
                        : WeightFormat.IntWeightOnly("int", checked((int)w.Bits), checked((int)w.GroupSize), !w.Symmetric);
                    return (f, f);
                }

                break;
        }

        warnings.Add(string.Create(CultureInfo.InvariantCulture,
            $"{configSource}: quantization_config.quant_method '{quant.Method}' is not modelled by the physical book; weights are counted at {plain.Name} (an upper bound), so memory and time are not reliable"));
        return (plain with { Understood = false }, plain with { Understood = false });
    }
}

using System.Collections.Immutable;
using PerfNotebooks.Analysis;

namespace PerfNotebooks.Requests;

/// <summary>
/// A sweep as the user asks for it: models, GPUs, layouts, dtypes and the batch axes (decode batch sizes × context
/// lengths, plus prefill lengths), with every default defined here once for the CLI, <c>#!perf</c> and the report.
/// </summary>
public sealed record SweepGrid
{
    /// <summary>Decode batch sizes swept when none are given: 1, 2, 4, …, 256.</summary>
    public static ImmutableArray<long> DefaultDecodeBatches { get; } = [1, 2, 4, 8, 16, 32, 64, 128, 256];

    /// <summary>Decode context lengths swept when none are given: 1k, 4k, 16k, 64k tokens.</summary>
    public static ImmutableArray<long> DefaultContexts { get; } = [1024, 4096, 16384, 65536];

    /// <summary>Models: catalog names, Hugging Face ids or config paths.</summary>
    public ImmutableArray<string> Models { get; init; } = [];

    /// <summary>GPUs: catalog names or GPU JSON files (default <see cref="GpuChoice.DefaultName"/>).</summary>
    public ImmutableArray<string> Gpus { get; init; } = [GpuChoice.DefaultName];

    /// <summary>Tensor-parallel sizes.</summary>
    public ImmutableArray<int> TensorParallel { get; init; } = [1];

    /// <summary>Pipeline-parallel sizes.</summary>
    public ImmutableArray<int> PipelineParallel { get; init; } = [1];

    /// <summary>Data-parallel sizes.</summary>
    public ImmutableArray<int> DataParallel { get; init; } = [1];

    /// <summary>Expert parallelism off and/or on.</summary>
    public ImmutableArray<bool> ExpertParallel { get; init; } = [false];

    /// <summary>Model dtypes (vLLM <c>--dtype</c>).</summary>
    public ImmutableArray<string> Dtypes { get; init; } = ["auto"];

    /// <summary>KV-cache dtypes (vLLM <c>--kv-cache-dtype</c>).</summary>
    public ImmutableArray<string> KvCacheDtypes { get; init; } = ["auto"];

    /// <summary>Quantization methods; null is the checkpoint's own.</summary>
    public ImmutableArray<string?> Quantizations { get; init; } = [null];

    /// <summary>Decode batch sizes.</summary>
    public ImmutableArray<long> DecodeBatches { get; init; } = DefaultDecodeBatches;

    /// <summary>Decode context lengths, in tokens.</summary>
    public ImmutableArray<long> Contexts { get; init; } = DefaultContexts;

    /// <summary>Prefill lengths, one request each, as separate points.</summary>
    public ImmutableArray<long> Prefills { get; init; } = [];

    /// <summary>vLLM's <c>gpu_memory_utilization</c>: the fraction of GPU memory the engine may use.</summary>
    public double Utilization { get; init => field = value is > 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Utilization), value, "must be in (0, 1]"); } = MemoryPlanner.DefaultUtilization;

    /// <summary>The grid for one model at one layout and GPU (the report's sweep): only the batch axes vary.</summary>
    public static SweepGrid For(string model, EngineSettings engine, string gpu)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return new SweepGrid
        {
            Models = [model],
            Gpus = [gpu],
            TensorParallel = [engine.TensorParallel],
            PipelineParallel = [engine.PipelineParallel],
            DataParallel = [engine.DataParallel],
            ExpertParallel = [engine.EnableExpertParallel],
            Dtypes = [engine.Dtype],
            KvCacheDtypes = [engine.KvCacheDtype],
            Quantizations = [engine.Quantization],
        };
    }

    /// <summary>The batch shapes: every decode batch × context, then each prefill length.</summary>
    public ImmutableArray<BatchShape> Batches =>
        [.. BatchShape.DecodeGrid(DecodeBatches, Contexts), .. Prefills.Select(p => BatchShape.Prefill(p))];

    /// <summary>The sweep this grid runs.</summary>
    /// <param name="applyEfficiency">Apply GPU efficiencies even where a GPU states none below 1 (they apply anyway when it does).</param>
    public SweepSpec ToSpec(bool applyEfficiency = false) => new()
    {
        Models = Models,
        Gpus = Gpus,
        TensorParallel = TensorParallel,
        PipelineParallel = PipelineParallel,
        DataParallel = DataParallel,
        ExpertParallel = ExpertParallel,
        Dtypes = Dtypes,
        KvCacheDtypes = KvCacheDtypes,
        Quantizations = Quantizations,
        Batches = Batches,
        Utilization = Utilization,
        ApplyEfficiency = applyEfficiency,
    };
}

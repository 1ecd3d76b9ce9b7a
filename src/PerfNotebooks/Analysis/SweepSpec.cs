using System.Collections.Immutable;

namespace PerfNotebooks.Analysis;

/// <summary>
/// A declarative sweep grid: every combination of models, GPUs, parallel layouts (TP × PP × DP, EP on/off), dtypes,
/// KV-cache dtypes, quantization methods and batch shapes.
/// </summary>
public sealed record SweepSpec
{
    /// <summary>Models: catalog names, Hugging Face ids or config paths.</summary>
    public ImmutableArray<string> Models { get; init; } = [];

    /// <summary>GPUs: catalog names or GPU JSON files.</summary>
    public ImmutableArray<string> Gpus { get; init; } = [];

    /// <summary>Tensor-parallel sizes.</summary>
    public ImmutableArray<int> TensorParallel { get; init; } = [1];

    /// <summary>Pipeline-parallel sizes.</summary>
    public ImmutableArray<int> PipelineParallel { get; init; } = [1];

    /// <summary>Data-parallel sizes.</summary>
    public ImmutableArray<int> DataParallel { get; init; } = [1];

    /// <summary>Expert parallelism off and/or on.</summary>
    public ImmutableArray<bool> ExpertParallel { get; init; } = [false];

    /// <summary>Model dtypes (<c>auto</c>, <c>bfloat16</c>, …).</summary>
    public ImmutableArray<string> Dtypes { get; init; } = ["auto"];

    /// <summary>KV-cache dtypes.</summary>
    public ImmutableArray<string> KvCacheDtypes { get; init; } = ["auto"];

    /// <summary>Quantization methods (null: the checkpoint's).</summary>
    public ImmutableArray<string?> Quantizations { get; init; } = [null];

    /// <summary>Batch shapes.</summary>
    public ImmutableArray<BatchShape> Batches { get; init; } = [];

    /// <summary>The vLLM revision whose accounting every point uses.</summary>
    public VllmRevision Vllm { get; init; } = VllmRevision.Default;

    /// <summary>vLLM's <c>gpu_memory_utilization</c> for the memory-fit check.</summary>
    public double Utilization { get; init; } = MemoryPlanner.DefaultUtilization;

    /// <summary>Apply the GPUs' stated efficiencies to peaks.</summary>
    public bool ApplyEfficiency { get; init; }

    /// <summary>Number of engine configurations (everything but batch shapes).</summary>
    public long ConfigurationCount => checked((long)Models.Length * Gpus.Length * TensorParallel.Length * PipelineParallel.Length *
                                               DataParallel.Length * ExpertParallel.Length * Dtypes.Length * KvCacheDtypes.Length * Quantizations.Length);

    /// <summary>Number of points (rows) the sweep produces.</summary>
    public long PointCount => checked(ConfigurationCount * Batches.Length);
}

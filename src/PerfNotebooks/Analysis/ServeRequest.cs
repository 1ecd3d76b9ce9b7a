using PerfNotebooks.Hardware;
using PerfNotebooks.Models;
using PerfNotebooks.Physical;

namespace PerfNotebooks.Analysis;

/// <summary>
/// What to simulate: a model with its engine settings on a GPU, requests of fixed input and output lengths, as a
/// static batch or a closed loop, and the scheduler's limits. Build with <see cref="StaticBatch"/> or <see cref="ClosedLoop"/>.
/// </summary>
public sealed record ServeRequest
{
    /// <summary>No chunking: every prompt is prefilled whole in one step (TensorRT-LLM static batching).</summary>
    public const long Unchunked = long.MaxValue;

    /// <summary>The model and engine settings (TP, PP, DP, EP, dtypes, quantization).</summary>
    public required ModelSource Source { get; init; }

    /// <summary>The GPU every rank runs on.</summary>
    public required GpuSpec Gpu { get; init; }

    /// <summary>Static batch or closed loop.</summary>
    public required ServeMode Mode { get; init; }

    /// <summary>Requests in the batch (static) or kept in flight (closed loop), across every DP replica.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public required long Requests { get; init => field = Guard.Positive(value, nameof(Requests)); }

    /// <summary>Prompt tokens per request.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public required long InputTokens { get; init => field = Guard.Positive(value, nameof(InputTokens)); }

    /// <summary>Generated tokens per request (the first one included).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public required long OutputTokens { get; init => field = Guard.Positive(value, nameof(OutputTokens)); }

    /// <summary>vLLM's <c>max_num_batched_tokens</c>: tokens one step may schedule (prompts beyond it are chunked);
    /// null takes vLLM's server default for the GPU; <see cref="Unchunked"/> never chunks.</summary>
    public long? MaxNumBatchedTokens { get; init => field = value is { } v ? Guard.Positive(v, nameof(MaxNumBatchedTokens)) : null; }

    /// <summary>vLLM's <c>max_num_seqs</c>: requests running at once; null takes vLLM's server default for the GPU.</summary>
    public long? MaxNumSeqs { get; init => field = value is { } v ? Guard.Positive(v, nameof(MaxNumSeqs)) : null; }

    /// <summary>vLLM's <c>gpu_memory_utilization</c>.</summary>
    public double Utilization { get; init; } = MemoryPlanner.DefaultUtilization;

    /// <summary>Kernel timer behind the expected figures; null takes <see cref="Physical.Kernels.KernelTimers.Expected"/>.</summary>
    public IKernelTimer? Timer { get; init; }

    /// <summary>Engine overhead per step; null takes <see cref="EngineOverhead.Vllm"/>.</summary>
    public EngineOverhead? Overhead { get; init; }

    /// <summary>MoE routing imbalance: the busiest rank's tokens ÷ the mean (1 = even).</summary>
    public double RoutingImbalance { get; init; } = 1;

    /// <summary>A static batch of <paramref name="batch"/> requests.</summary>
    public static ServeRequest StaticBatch(ModelSource source, GpuSpec gpu, long batch, long inputTokens, long outputTokens) => new()
    {
        Source = source,
        Gpu = gpu,
        Mode = ServeMode.StaticBatch,
        Requests = batch,
        InputTokens = inputTokens,
        OutputTokens = outputTokens,
    };

    /// <summary>A closed loop keeping <paramref name="concurrency"/> requests in flight.</summary>
    public static ServeRequest ClosedLoop(ModelSource source, GpuSpec gpu, long concurrency, long inputTokens, long outputTokens) => new()
    {
        Source = source,
        Gpu = gpu,
        Mode = ServeMode.ClosedLoop,
        Requests = concurrency,
        InputTokens = inputTokens,
        OutputTokens = outputTokens,
    };

    /// <summary>
    /// vLLM's defaults for the OpenAI server (<c>EngineArgs.get_batch_defaults</c>, vllm/engine/arg_utils.py): GPUs of
    /// at least 70 GiB other than A100 schedule 8192 tokens and 1024 sequences per step; others 2048 and 256.
    /// </summary>
    public static (long MaxNumBatchedTokens, long MaxNumSeqs) VllmDefaults(GpuSpec gpu)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        var large = gpu.MemoryBytes >= 70 * (double)(1L << 30) && !gpu.Name.Contains("A100", StringComparison.OrdinalIgnoreCase);
        return large ? (8192, 1024) : (2048, 256);
    }
}

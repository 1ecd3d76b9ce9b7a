using PerfNotebooks.Hardware;
using PerfNotebooks.Physical;

namespace PerfNotebooks.Serving;

/// <summary>
/// The vLLM server as started (<c>vllm serve</c>): the scheduler's limits, the KV cache, CUDA graphs, prefix caching,
/// the API server in front of the engine, and how steps are timed. Every null takes the default vLLM applies for the
/// GPU (see <see cref="VllmDefaults"/>).
/// </summary>
public sealed record ServerSettings
{
    /// <summary>vLLM's <c>--max-num-batched-tokens</c>: tokens one step may schedule (longer prompts are prefilled in
    /// chunks); null takes vLLM's default for the GPU and the OpenAI server.</summary>
    /// <exception cref="InvalidValueException">Not positive.</exception>
    public long? MaxNumBatchedTokens { get; init => field = value is { } v ? Guard.Positive(v, "max_num_batched_tokens") : null; }

    /// <summary>vLLM's <c>--max-num-seqs</c>: requests running at once; null takes vLLM's default for the GPU and the OpenAI server.</summary>
    /// <exception cref="InvalidValueException">Not positive.</exception>
    public long? MaxNumSeqs { get; init => field = value is { } v ? Guard.Positive(v, "max_num_seqs") : null; }

    /// <summary>vLLM's <c>--block-size</c>: tokens per KV-cache block (vLLM's CUDA default is 16, vllm/config/cache.py).</summary>
    /// <exception cref="InvalidValueException">Not positive.</exception>
    public int BlockSize { get; init => field = Guard.Positive(value, "block_size"); } = 16;

    /// <summary>vLLM's <c>--gpu-memory-utilization</c>: the fraction of each GPU's memory the engine may use (default 0.9).</summary>
    /// <exception cref="InvalidValueException">Not in (0, 1].</exception>
    public double GpuMemoryUtilization { get; init => field = Guard.Fraction(value, "gpu_memory_utilization"); } = Analysis.MemoryPlanner.DefaultUtilization;

    /// <summary>vLLM's <c>--enable-prefix-caching</c>. Off here by default: the random prompts of the benchmarks share
    /// no prefix, so on and off schedule alike; turn it on with a <see cref="PrefixHitRate"/> for shared prompts.</summary>
    public bool EnablePrefixCaching { get; init; }

    /// <summary>With prefix caching on: the fraction of each prompt's tokens found in the cache (whole blocks), in [0, 1).</summary>
    /// <exception cref="InvalidValueException">Outside [0, 1).</exception>
    public double PrefixHitRate
    {
        get;
        init => field = value is >= 0 and < 1 ? value : throw new InvalidValueException("prefix_hit_rate", value, "must be in [0, 1)");
    }

    /// <summary>vLLM's <c>--enforce-eager</c>: no CUDA graphs (every kernel launched from Python).</summary>
    public bool EnforceEager { get; init; }

    /// <summary>vLLM's <c>max_cudagraph_capture_size</c> (<c>-O.max_cudagraph_capture_size</c>): the largest batch
    /// replayed as a CUDA graph; null takes vLLM's default, min(2 × max_num_seqs, 512).</summary>
    /// <exception cref="InvalidValueException">Not positive.</exception>
    public long? MaxCudaGraphCaptureSize { get; init => field = value is { } v ? Guard.Positive(v, "max_cudagraph_capture_size") : null; }

    /// <summary>The API server's costs between the client and the engine; null takes <see cref="ApiServerCosts.Vllm"/>.</summary>
    public ApiServerCosts? ApiServer { get; init; }

    /// <summary>Kernel timer behind the expected step times; null takes <see cref="Physical.Kernels.KernelTimers.Expected"/>.</summary>
    public IKernelTimer? Timer { get; init; }

    /// <summary>Engine overhead per step; null takes <see cref="EngineOverhead.Vllm"/>.</summary>
    public EngineOverhead? Overhead { get; init; }

    /// <summary>MoE routing imbalance: the busiest rank's tokens ÷ the mean (1 = even).</summary>
    /// <exception cref="InvalidValueException">Below 1.</exception>
    public double RoutingImbalance
    {
        get;
        init => field = value >= 1 ? value : throw new InvalidValueException("routing_imbalance", value, "must be at least 1");
    } = 1;

    /// <summary>No chunking: every prompt is prefilled whole in one step (TensorRT-LLM static batching).</summary>
    public const long Unchunked = long.MaxValue;

    /// <summary>
    /// vLLM's defaults for the OpenAI server on <paramref name="gpu"/> (<c>EngineArgs.get_batch_defaults</c>,
    /// vllm/engine/arg_utils.py, applied in <c>_set_default_args</c> for <c>UsageContext.OPENAI_API_SERVER</c>): GPUs
    /// of at least 70 GiB other than A100 schedule 8192 tokens and 1024 sequences per step; others 2048 and 256.
    /// </summary>
    public static (long MaxNumBatchedTokens, long MaxNumSeqs) VllmDefaults(GpuSpec gpu)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        var large = gpu.MemoryBytes >= 70 * (double)(1L << 30) && !gpu.Name.Contains("A100", StringComparison.OrdinalIgnoreCase);
        return large ? (8192, 1024) : (2048, 256);
    }
}

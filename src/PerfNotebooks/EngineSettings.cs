using System.Text.Json.Nodes;

namespace PerfNotebooks;

/// <summary>
/// The engine settings the perf model depends on, named like vLLM's CLI flags. Defaults are vLLM's
/// (<c>auto</c> dtypes, no quantization override, one GPU).
/// </summary>
public sealed record EngineSettings
{
    /// <summary>Default settings: one GPU, dtypes from the checkpoint.</summary>
    public static EngineSettings Default { get; } = new();

    /// <summary><c>--dtype</c>: <c>auto</c>, <c>bfloat16</c>, <c>float16</c>/<c>half</c> or <c>float32</c>/<c>float</c>.</summary>
    public string Dtype { get; init => field = value ?? "auto"; } = "auto";

    /// <summary><c>--kv-cache-dtype</c>: <c>auto</c>, <c>bfloat16</c> or an fp8 variant.</summary>
    public string KvCacheDtype { get; init => field = value ?? "auto"; } = "auto";

    /// <summary><c>--quantization</c>; null takes the checkpoint's <c>quantization_config.quant_method</c>.</summary>
    public string? Quantization { get; init; }

    /// <summary><c>--tensor-parallel-size</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The size is not positive.</exception>
    public int TensorParallel { get; init => field = Guard.Positive(value, nameof(TensorParallel)); } = 1;

    /// <summary><c>--pipeline-parallel-size</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The size is not positive.</exception>
    public int PipelineParallel { get; init => field = Guard.Positive(value, nameof(PipelineParallel)); } = 1;

    /// <summary><c>--data-parallel-size</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The size is not positive.</exception>
    public int DataParallel { get; init => field = Guard.Positive(value, nameof(DataParallel)); } = 1;

    /// <summary><c>--enable-expert-parallel</c>.</summary>
    public bool EnableExpertParallel { get; init; }

    /// <summary><c>--hf-overrides</c> (dict form), applied to the config before anything else.</summary>
    public JsonObject? HfOverrides { get; init; }

    /// <summary><c>--disable-sliding-window</c>: attention ignores the config's sliding window (read from revision 2026-09 on).</summary>
    public bool DisableSlidingWindow { get; init; }

    /// <summary><c>--vllm</c>: the vLLM revision whose accounting and config resolution to reproduce.</summary>
    public VllmRevision Vllm { get; init; } = VllmRevision.Default;

    /// <summary>GPUs one replica of this layout uses: TP × PP × DP.</summary>
    public long Gpus => Layout.Gpus;

    /// <summary>The parallel layout: TP, PP, DP and expert parallelism (<c>TP4 PP1 DP1 EP</c>).</summary>
    public ParallelLayout Layout => new(TensorParallel, PipelineParallel, DataParallel, EnableExpertParallel);
}

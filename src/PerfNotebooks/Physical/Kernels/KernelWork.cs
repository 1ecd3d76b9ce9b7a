using PerfNotebooks.Hardware;

namespace PerfNotebooks.Physical.Kernels;

/// <summary>
/// The math and memory traffic of one kernel call on one GPU: FLOPs and bytes moved from device memory, as the
/// roofline and the fitted curves see them.
/// </summary>
/// <remarks>
/// Implementation note: these are physical counts (what the kernel executes), not vLLM's MFU counts. Prefill attention is
/// causal (each new token attends to the cached history plus the new tokens before it), clamped to the sliding window;
/// MoE weight bytes count only the experts a step is expected to touch. Doubles, not Int128: these feed times, never
/// exact counts.
/// </remarks>
/// <param name="Flops">Floating-point operations of the call.</param>
/// <param name="Bytes">Bytes read from and written to device memory by the call.</param>
public readonly record struct KernelWork(double Flops, double Bytes)
{
    /// <summary>Bytes per weight element stored in <paramref name="dtype"/> (scales excluded).</summary>
    public static double WeightBytes(KernelDtype dtype) => dtype switch
    {
        KernelDtype.Fp8 or KernelDtype.Fp8Block => 1,
        KernelDtype.Int4WeightOnly or KernelDtype.Nvfp4 or KernelDtype.Mxfp4 => 0.5,
        KernelDtype.Fp32 => 4,
        _ => 2,
    };

    /// <summary>Bytes per activation element read by a GEMM computing in <paramref name="dtype"/>.</summary>
    public static double ActivationBytes(KernelDtype dtype) => dtype switch
    {
        KernelDtype.Fp8 or KernelDtype.Fp8Block => 1,
        KernelDtype.Nvfp4 => 0.5,
        KernelDtype.Fp32 => 4,
        _ => 2,
    };

    /// <summary>The tensor-core precision whose peak bounds a kernel computing in <paramref name="dtype"/> on
    /// <paramref name="gpu"/>: fp8 and fp4 fall back to 16-bit math on chips without them; weight-only 4-bit computes in 16 bits.</summary>
    public static ComputeDtype ComputeFor(KernelDtype dtype, GpuSpec gpu)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        ComputeDtype wanted = dtype switch
        {
            KernelDtype.Float16 => ComputeDtype.Fp16,
            KernelDtype.Fp8 or KernelDtype.Fp8Block => ComputeDtype.Fp8,
            KernelDtype.Nvfp4 or KernelDtype.Mxfp4 => ComputeDtype.Fp4,
            KernelDtype.Fp32 => ComputeDtype.Fp32,
            _ => ComputeDtype.Bf16,
        };
        if (gpu.Supports(wanted))
        {
            return wanted;
        }

        if (wanted == ComputeDtype.Fp4 && gpu.Supports(ComputeDtype.Fp8) && dtype == KernelDtype.Nvfp4)
        {
            return ComputeDtype.Fp8;
        }

        return gpu.Supports(ComputeDtype.Bf16) ? ComputeDtype.Bf16 : gpu.PeakFlopsPerSecond.Keys.Max();
    }

    /// <summary>One GEMM: 2·m·n·k FLOPs; reads m·k activations and k·n weights, writes m·n 16-bit outputs.</summary>
    public static KernelWork Gemm(long m, long n, long k, KernelDtype dtype) => new(
        2.0 * m * n * k,
        (m * (double)k * ActivationBytes(dtype)) + (k * (double)n * WeightBytes(dtype)) + (m * (double)n * 2));

    /// <summary>The number of (query, key) pairs a causal prefill of <paramref name="tokens"/> new tokens scores when
    /// <paramref name="contextLength"/> tokens are attended in all, each query seeing at most <paramref name="window"/> keys (0 = no window).</summary>
    public static double CausalPairs(long tokens, long contextLength, int window)
    {
        double history = Math.Max(0, contextLength - tokens);
        double t = tokens;
        var full = (t * history) + (t * (t + 1) / 2);
        if (window <= 0 || window >= contextLength)
        {
            return full;
        }

        // Implementation note: query i (1-based among the new tokens) sees min(window, history + i) keys.
        var reachWindow = Math.Clamp(window - history, 0, t); // queries below the window cap
        var below = (reachWindow * history) + (reachWindow * (reachWindow + 1) / 2);
        return below + ((t - reachWindow) * window);
    }

    /// <summary>Prefill attention (FlashAttention): 4·heads·headDim FLOPs per scored pair, causal; reads Q, K and V of the
    /// attended context once, writes the output and the new tokens' KV-cache entries.</summary>
    public static KernelWork PrefillAttention(long batch, long tokens, long contextLength, AttentionShape shape)
    {
        var pairs = CausalPairs(tokens, contextLength, shape.Window);
        var kvBytes = ActivationBytes(shape.KvDtype);
        var attended = shape.Window > 0 ? Math.Min(contextLength, shape.Window + tokens) : contextLength;
        var perRequest = (2.0 * tokens * shape.Heads * shape.HeadDim * 2) // Q in, O out (16-bit)
            + (2.0 * attended * shape.KvHeads * shape.HeadDim * kvBytes) // K and V read
            + (2.0 * tokens * shape.KvHeads * shape.HeadDim * kvBytes); // KV-cache write
        return new(batch * 4.0 * shape.Heads * shape.HeadDim * pairs, batch * perRequest);
    }

    /// <summary>Decode attention: one query per request over <paramref name="contextLength"/> keys (clamped to the window);
    /// reads that KV cache, writes one token's KV entry.</summary>
    public static KernelWork DecodeAttention(long batch, long contextLength, AttentionShape shape)
    {
        double attended = shape.Window > 0 ? Math.Min(contextLength, shape.Window) : contextLength;
        var kvBytes = ActivationBytes(shape.KvDtype);
        var perRequest = (2.0 * shape.Heads * shape.HeadDim * 2)
            + (2.0 * attended * shape.KvHeads * shape.HeadDim * kvBytes)
            + (2.0 * shape.KvHeads * shape.HeadDim * kvBytes);
        return new(batch * 4.0 * shape.Heads * shape.HeadDim * attended, batch * perRequest);
    }

    /// <summary>Expected number of distinct experts that <paramref name="tokens"/> tokens route to, each picking
    /// <paramref name="topK"/> of <paramref name="experts"/> uniformly: E·(1 − (1 − k/E)^T).</summary>
    public static double ExpectedExpertsTouched(long tokens, int topK, int experts) =>
        experts * (1 - Math.Pow(1 - ((double)topK / experts), tokens));

    /// <summary>One fused MoE layer on one GPU: gate-up and down GEMMs (3·hidden·inter/TP weights per expert) for the
    /// tokens routed to this GPU's experts; reads the weights of the experts touched.</summary>
    public static KernelWork Moe(long tokens, MoeShape shape)
    {
        var inter = (double)shape.IntermediateSize / shape.TensorParallel;
        var assignments = (double)tokens * shape.TopK / shape.ExpertParallel;
        var touched = ExpectedExpertsTouched(tokens, shape.TopK, shape.Experts) / shape.ExpertParallel;
        var flops = 2.0 * 3 * shape.HiddenSize * inter * assignments;
        var bytes = (touched * 3 * shape.HiddenSize * inter * WeightBytes(shape.Dtype))
            + (tokens * (double)shape.HiddenSize * 2 * 2) // hidden states in and out
            + (assignments * inter * 2 * 3); // gate-up output, activation, down input
        return new(flops, bytes);
    }
}

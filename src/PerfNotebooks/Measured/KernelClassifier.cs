using PerfNotebooks.Physical;

namespace PerfNotebooks.Measured;

/// <summary>
/// Sorts a GPU kernel into a <see cref="KernelCategory"/> by its name, as CUDA libraries and vLLM's kernels spell them,
/// and maps a category to the physical book's operations it times.
/// </summary>
/// <remarks>
/// The name fragments are the symbols these libraries emit: cuBLAS (<c>sm90_xmma_gemm_…</c>, <c>ampere_bf16_s16816gemm_…</c>,
/// <c>cutlass::Kernel2&lt;cutlass_80_tensorop_…gemm…&gt;</c>, <c>nvjet_…</c>), FlashAttention (<c>flash_fwd_kernel</c>,
/// <c>flash_fwd_splitkv_kernel</c>, FA3 <c>FlashAttnFwdSm90</c>), FlashInfer (<c>BatchPrefillWithPagedKVCacheKernel</c>,
/// <c>BatchDecodeWithPagedKVCacheKernel</c>), vLLM's csrc (<c>paged_attention_v1_kernel</c>,
/// <c>reshape_and_cache_flash_kernel</c>, <c>rms_norm_kernel</c>, <c>fused_add_rms_norm_kernel</c>, <c>act_and_mul_kernel</c>,
/// <c>rotary_embedding_kernel</c>, <c>moe_align_block_size_kernel</c>, <c>topk_softmax</c>, <c>cross_device_reduce_1stage</c>),
/// vLLM's Triton kernels (<c>fused_moe_kernel</c>, <c>_fwd_kernel</c>, <c>kernel_unified_attention_2d</c>) and NCCL
/// (<c>ncclDevKernel_AllReduce_Sum_bf16_RING_LL</c>). Kineto names copies <c>Memcpy HtoD (Pageable -&gt; Device)</c> and
/// sets <c>Memset (Device)</c>.
/// </remarks>
public static class KernelClassifier
{
    private static readonly (string Fragment, KernelCategory Category)[] Rules =
    [
        // Order matters: a fused MoE GEMM is MoE, a Triton attention kernel is attention, a collective is never a GEMM.
        ("nccl", KernelCategory.Collective),
        ("cross_device_reduce", KernelCategory.Collective),
        ("all_reduce", KernelCategory.Collective),
        ("allreduce", KernelCategory.Collective),
        ("all_gather", KernelCategory.Collective),
        ("allgather", KernelCategory.Collective),
        ("reduce_scatter", KernelCategory.Collective),
        ("all_to_all", KernelCategory.Collective),
        ("alltoall", KernelCategory.Collective),
        ("moe", KernelCategory.Moe),
        ("topk_softmax", KernelCategory.Moe),
        ("topkgating", KernelCategory.Moe),
        ("grouped_topk", KernelCategory.Moe),
        ("expert", KernelCategory.Moe),
        ("flash", KernelCategory.Attention),
        ("attention", KernelCategory.Attention),
        ("attn", KernelCategory.Attention),
        ("withpagedkvcache", KernelCategory.Attention),
        ("paged_attention", KernelCategory.Attention),
        ("reshape_and_cache", KernelCategory.Attention),
        ("concat_and_cache", KernelCategory.Attention),
        ("mla", KernelCategory.Attention),
        ("fmha", KernelCategory.Attention),
        ("_fwd_kernel", KernelCategory.Attention),
        ("gemm", KernelCategory.Gemm),
        ("gemv", KernelCategory.Gemm),
        ("matmul", KernelCategory.Gemm),
        ("cutlass", KernelCategory.Gemm),
        ("nvjet", KernelCategory.Gemm),
        ("cublas", KernelCategory.Gemm),
        ("xmma", KernelCategory.Gemm),
        ("s16816", KernelCategory.Gemm),
        ("wgmma", KernelCategory.Gemm),
        ("splitkreduce", KernelCategory.Gemm),
        ("scaled_mm", KernelCategory.Gemm),
        ("norm", KernelCategory.Elementwise),
        ("act_and_mul", KernelCategory.Elementwise),
        ("silu", KernelCategory.Elementwise),
        ("gelu", KernelCategory.Elementwise),
        ("rotary", KernelCategory.Elementwise),
        ("elementwise", KernelCategory.Elementwise),
        ("vectorized", KernelCategory.Elementwise),
        ("reduce_kernel", KernelCategory.Elementwise),
        ("softmax", KernelCategory.Elementwise),
        ("sampl", KernelCategory.Elementwise),
        ("argmax", KernelCategory.Elementwise),
        ("index", KernelCategory.Elementwise),
        ("gather", KernelCategory.Elementwise),
        ("scatter", KernelCategory.Elementwise),
        ("embedding", KernelCategory.Elementwise),
        ("copy", KernelCategory.Elementwise),
        ("fill", KernelCategory.Elementwise),
        ("quant", KernelCategory.Elementwise),
        ("triton_", KernelCategory.Elementwise),
    ];

    /// <summary>The category of a kernel named <paramref name="name"/> (Kineto's <c>name</c> field) with Kineto
    /// category <paramref name="traceCategory"/> (<c>kernel</c>, <c>gpu_memcpy</c>, <c>gpu_memset</c>).</summary>
    public static KernelCategory Classify(string name, string? traceCategory = "kernel")
    {
        ArgumentNullException.ThrowIfNull(name);
        if (traceCategory is "gpu_memcpy" or "gpu_memset" || name.StartsWith("Memcpy", StringComparison.Ordinal) || name.StartsWith("Memset", StringComparison.Ordinal))
        {
            return KernelCategory.Memcpy;
        }

        foreach (var (fragment, category) in Rules)
        {
            if (name.Contains(fragment, StringComparison.OrdinalIgnoreCase))
            {
                return category;
            }
        }

        return KernelCategory.Other;
    }

    /// <summary>The category whose measured time an operation of the physical book is held against.</summary>
    public static KernelCategory Of(OperationKind kind) => kind switch
    {
        OperationKind.Gemm => KernelCategory.Gemm,
        OperationKind.PrefillAttention or OperationKind.DecodeAttention => KernelCategory.Attention,
        OperationKind.Moe => KernelCategory.Moe,
        OperationKind.AllReduce or OperationKind.AllToAll or OperationKind.SendReceive => KernelCategory.Collective,
        _ => KernelCategory.Elementwise,
    };

    /// <summary>The categories in display order.</summary>
    public static IReadOnlyList<KernelCategory> All { get; } = Enum.GetValues<KernelCategory>();

    /// <summary>The snake_case name used in JSON and calibration files (<c>gemm</c>, <c>all_reduce</c> is <c>collective</c>).</summary>
    public static string Key(KernelCategory category) => category switch
    {
        KernelCategory.Gemm => "gemm",
        KernelCategory.Attention => "attention",
        KernelCategory.Moe => "moe",
        KernelCategory.Collective => "collective",
        KernelCategory.Elementwise => "norm_elementwise",
        KernelCategory.Memcpy => "memcpy",
        _ => "other",
    };

    /// <summary>The category of a <see cref="Key"/>.</summary>
    public static bool TryParseKey(string? key, out KernelCategory category)
    {
        foreach (var c in All)
        {
            if (Key(c) == key)
            {
                category = c;
                return true;
            }
        }

        category = KernelCategory.Other;
        return false;
    }
}

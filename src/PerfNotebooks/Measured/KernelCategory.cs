namespace PerfNotebooks.Measured;

/// <summary>What a GPU kernel of an inference step does, as far as its name tells: the categories measured time is
/// broken down by and calibration scales.</summary>
public enum KernelCategory
{
    /// <summary>Matrix multiplications: projections, dense FFN, shared experts, logits (cuBLAS, CUTLASS, Triton matmuls).</summary>
    Gemm,

    /// <summary>Attention: prefill and decode kernels (FlashAttention, FlashInfer, paged attention, MLA) and KV-cache writes.</summary>
    Attention,

    /// <summary>Fused mixture-of-experts kernels and their routing (top-k, align, permute).</summary>
    Moe,

    /// <summary>All-reduce, all-gather, all-to-all and other collectives (NCCL, custom all-reduce).</summary>
    Collective,

    /// <summary>Norms, activations, rotary embedding, residual adds, sampling and other elementwise kernels.</summary>
    Elementwise,

    /// <summary>Memory copies and sets (host↔device, device↔device).</summary>
    Memcpy,

    /// <summary>Anything else.</summary>
    Other,
}

namespace PerfNotebooks.Physical;

/// <summary>Which <see cref="IKernelTimer"/> call times a <see cref="PhysicalOperation"/>.</summary>
public enum OperationKind
{
    /// <summary>A GEMM (projections, dense FFN, shared experts, router, logits).</summary>
    Gemm,

    /// <summary>Prefill attention (causal), KV-cache write included.</summary>
    PrefillAttention,

    /// <summary>Decode attention, KV-cache write included.</summary>
    DecodeAttention,

    /// <summary>A fused MoE layer.</summary>
    Moe,

    /// <summary>A tensor-parallel all-reduce.</summary>
    AllReduce,

    /// <summary>An expert-parallel all-to-all (dispatch or combine), α–β link model.</summary>
    AllToAll,

    /// <summary>A pipeline-parallel send/receive between stages, α–β link model.</summary>
    SendReceive,

    /// <summary>A memory-bound elementwise kernel (norm, rotary, activation, residual, gather, sampling).</summary>
    Elementwise,
}

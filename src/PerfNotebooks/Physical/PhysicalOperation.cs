using System.Globalization;

namespace PerfNotebooks.Physical;

/// <summary>
/// One kind of kernel a step runs on one GPU, <see cref="Calls"/> times in the step (once per layer, say), with the
/// shape an <see cref="IKernelTimer"/> needs and its physical FLOPs and bytes per call.
/// </summary>
/// <remarks>FLOPs and bytes are expected values (MoE expert reads depend on routing), so they are doubles.</remarks>
public readonly record struct PhysicalOperation
{
    /// <summary>Operation name (<c>attn.qkv</c>, <c>ffn.down</c>, <c>tp.all_reduce</c>, …).</summary>
    public required string Name { get; init; }

    /// <summary>Which timer call times it.</summary>
    public required OperationKind Kind { get; init; }

    /// <summary>Calls per step on this GPU's path through every pipeline stage.</summary>
    public required long Calls { get; init; }

    /// <summary>Physical FLOPs of one call.</summary>
    public double FlopsPerCall { get; init; }

    /// <summary>Bytes one call moves to or from device memory (or over the link, for communication).</summary>
    public double BytesPerCall { get; init; }

    /// <summary>GEMM rows (tokens); attention requests; MoE tokens.</summary>
    public long M { get; init; }

    /// <summary>GEMM outputs; attention new tokens per request (prefill).</summary>
    public long N { get; init; }

    /// <summary>GEMM inputs; attention context length.</summary>
    public long K { get; init; }

    /// <summary>GEMM precision.</summary>
    public KernelDtype Dtype { get; init; }

    /// <summary>Attention shape (attention operations).</summary>
    public AttentionShape Attention { get; init; }

    /// <summary>MoE shape (MoE operations).</summary>
    public MoeShape Moe { get; init; }

    /// <summary>GPUs taking part (communication).</summary>
    public int Gpus { get; init; }

    /// <summary>FLOPs of every call together.</summary>
    public double Flops => FlopsPerCall * Calls;

    /// <summary>Bytes of every call together.</summary>
    public double Bytes => BytesPerCall * Calls;

    /// <summary>Whether the operation is communication between GPUs.</summary>
    public bool IsCommunication => Kind is OperationKind.AllReduce or OperationKind.AllToAll or OperationKind.SendReceive;

    /// <summary>Expected seconds of one call on <paramref name="timer"/>; <paramref name="link"/> times the collectives
    /// the timer contract has no call for (all-to-all, send/receive).</summary>
    internal double SecondsPerCall(IKernelTimer timer, LinkModel link)
    {
        ArgumentNullException.ThrowIfNull(timer);
        ArgumentNullException.ThrowIfNull(link);
        return Kind switch
        {
            OperationKind.Gemm => timer.Gemm(M, N, K, Dtype).Seconds,
            OperationKind.PrefillAttention => timer.PrefillAttention(M, N, K, Attention).Seconds,
            OperationKind.DecodeAttention => timer.DecodeAttention(M, K, Attention).Seconds,
            OperationKind.Moe => timer.Moe(M, Moe).Seconds,
            OperationKind.AllReduce => timer.AllReduce((long)BytesPerCall, Gpus).Seconds,
            OperationKind.AllToAll or OperationKind.SendReceive => link.Seconds(BytesPerCall),
            _ => timer.Elementwise((long)BytesPerCall).Seconds,
        };
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name} ×{Calls}: {Units.Si(FlopsPerCall, "FLOP")}, {Units.Bytes(BytesPerCall)} per call");
}

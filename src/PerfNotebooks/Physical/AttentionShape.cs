namespace PerfNotebooks.Physical;

/// <summary>The per-GPU shape of one attention call (after tensor-parallel sharding of the heads).</summary>
/// <param name="Heads">Query heads on this GPU.</param>
/// <param name="KvHeads">KV heads on this GPU.</param>
/// <param name="HeadDim">Head size in elements.</param>
/// <param name="Dtype">Precision of Q and the attention math.</param>
/// <param name="KvDtype">Precision of the KV cache.</param>
/// <param name="Window">Sliding-window length in tokens; 0 for full attention.</param>
public readonly record struct AttentionShape(int Heads, int KvHeads, int HeadDim, KernelDtype Dtype, KernelDtype KvDtype, int Window = 0);

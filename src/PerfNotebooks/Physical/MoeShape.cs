namespace PerfNotebooks.Physical;

/// <summary>The shape of one fused MoE layer call (routing, expert GEMMs and combine) on one GPU.</summary>
/// <param name="HiddenSize">Model hidden size.</param>
/// <param name="IntermediateSize">Expert intermediate size (whole, before tensor-parallel sharding).</param>
/// <param name="TopK">Experts per token.</param>
/// <param name="Experts">Routed experts in the model.</param>
/// <param name="TensorParallel">MoE tensor-parallel size (each expert's intermediate dimension split this many ways).</param>
/// <param name="ExpertParallel">Expert-parallel size (experts split this many ways).</param>
/// <param name="Dtype">Precision of the expert GEMMs.</param>
public readonly record struct MoeShape(int HiddenSize, int IntermediateSize, int TopK, int Experts, int TensorParallel, int ExpertParallel, KernelDtype Dtype);

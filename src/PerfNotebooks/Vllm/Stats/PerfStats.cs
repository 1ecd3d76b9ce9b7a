namespace PerfNotebooks.Vllm.Stats;

/// <summary>Per-GPU totals of one step (vLLM's <c>PerfStats</c>), with the debug detail when it was asked for.</summary>
/// <param name="Flops">FLOPs per GPU.</param>
/// <param name="ReadBytes">Bytes read per GPU.</param>
/// <param name="WriteBytes">Bytes written per GPU.</param>
/// <param name="Debug">Breakdowns and counts, or null when debug stats are off.</param>
public sealed record PerfStats(Int128 Flops, Int128 ReadBytes, Int128 WriteBytes, DebugPerfStats? Debug);

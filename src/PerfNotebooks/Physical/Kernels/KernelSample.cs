namespace PerfNotebooks.Physical.Kernels;

/// <summary>One measured kernel timing, with the timer call that estimates the same shape.</summary>
/// <param name="Table">The table it comes from (<c>gemm.bfloat16</c>, <c>prefill_attention</c>, <c>decode_attention</c>,
/// <c>moe.fp8</c>, <c>allreduce.8</c>); also the fitted-curve group it calibrates.</param>
/// <param name="Seconds">Measured time of one call, in seconds (the fastest kernel measured for that shape).</param>
/// <param name="Work">Physical FLOPs and bytes of the call (<see cref="KernelWork"/>).</param>
/// <param name="Estimate">The <see cref="IKernelTimer"/> call for the same shape.</param>
public sealed record KernelSample(string Table, double Seconds, KernelWork Work, Func<IKernelTimer, KernelTime> Estimate);

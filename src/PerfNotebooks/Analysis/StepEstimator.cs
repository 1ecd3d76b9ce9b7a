using System.Runtime.CompilerServices;
using PerfNotebooks.Hardware;
using PerfNotebooks.Internal;
using PerfNotebooks.Vllm;
namespace PerfNotebooks.Analysis;

/// <summary>
/// Fast, allocation-free vLLM-book step estimates for one model on one GPU: the same per-operation roofline time as
/// <see cref="RooflineReport.StepSeconds"/>, for sweeps over millions of batch shapes.
/// </summary>
/// <remarks>The physical book's expected time and bound are not computed here: a sweep sets them from its own
/// <see cref="Physical.StepModel"/> (<see cref="StepEstimate.ExpectedSeconds"/>, <see cref="StepEstimate.BoundSeconds"/>).</remarks>
public sealed class StepEstimator
{
    private readonly double _peak;
    private readonly double _bandwidth;
    private readonly double _commBytesPerToken;
    private readonly double _commBytesPerSecond;

    /// <summary>Prepares estimates of <paramref name="metrics"/> on <paramref name="gpu"/>.</summary>
    /// <exception cref="ArgumentException">The GPU has no peak for the compute dtype.</exception>
    /// <param name="metrics">The model (vLLM book, for the exact counts).</param>
    /// <param name="gpu">The GPU.</param>
    /// <param name="dtype">Compute dtype of the vLLM-book roofline; null takes <see cref="Roofline.DefaultDtype"/>.</param>
    /// <param name="applyEfficiency">Scale the vLLM-book roofline by the GPU's efficiencies.</param>
    public StepEstimator(ModelMetrics metrics, GpuSpec gpu, ComputeDtype? dtype = null, bool applyEfficiency = false)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(gpu);
        Metrics = metrics;
        Gpu = gpu;
        Dtype = dtype ?? Roofline.DefaultDtype(metrics.Source, gpu);
        _peak = gpu.Peak(Dtype, applyEfficiency);
        _bandwidth = gpu.Bandwidth(applyEfficiency);
        var oneToken = Roofline.Communication(metrics, Batch.Prefill(1), gpu);
        _commBytesPerToken = oneToken is null ? 0 : (double)oneToken.Bytes;
        _commBytesPerSecond = gpu.InterconnectBytesPerSecond / 2;
    }

    /// <summary>The model.</summary>
    public ModelMetrics Metrics { get; }

    /// <summary>The GPU.</summary>
    public GpuSpec Gpu { get; }

    /// <summary>The compute dtype whose peak is used.</summary>
    public ComputeDtype Dtype { get; }

    /// <summary>Totals and roofline time of a step, per GPU.</summary>
    [SkipLocalsInit]
    public StepEstimate Estimate(in Batch ctx)
    {
        // Implementation note: the buffers sum each kernel's terms as they are written (no terms stored and re-read);
        // a kernel's bytes are its read sum plus its write sum (exact while each stays below 2^53 bytes).
        var flopTerms = TermBuffer.PerOperation();
        Metrics.Write(Metric.Flops, ctx, Scope.PerGpu, ref flopTerms);
        var byteTerms = TermBuffer.PerOperation();
        Metrics.Write(Metric.ReadBytes, ctx, Scope.PerGpu, ref byteTerms);
        var reads = byteTerms.Total;
        var writeTerms = TermBuffer.PerOperation();
        Metrics.Write(Metric.WriteBytes, ctx, Scope.PerGpu, ref writeTerms);
        var flops = flopTerms.Total;
        var writes = writeTerms.Total;
        double seconds = 0;
        for (var i = 0; i < Operations.Count; i++)
        {
            seconds += Math.Max(flopTerms.OperationTotal(i) / _peak, (byteTerms.OperationTotal(i) + writeTerms.OperationTotal(i)) / _bandwidth);
        }

        var comm = _commBytesPerToken * ctx.TotalTokens / _commBytesPerSecond;
        var lowerBound = Math.Max(ToDouble(flops) / _peak, ToDouble(reads + writes) / _bandwidth);
        return new StepEstimate(flops, reads, writes, seconds, comm, lowerBound);
    }

    // Implementation note: nearly every count fits in 64 bits, and long → double is one instruction.
    private static double ToDouble(Int128 value) =>
        value >= long.MinValue && value <= long.MaxValue ? (long)value : (double)value;
}

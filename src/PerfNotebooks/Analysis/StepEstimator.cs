using PerfNotebooks.Execution;
using PerfNotebooks.Internal;
using PerfNotebooks.Physical;

namespace PerfNotebooks.Analysis;

/// <summary>
/// Fast, allocation-free step estimates for one model on one GPU: the same per-operation roofline time as
/// <see cref="RooflineReport.StepSeconds"/>, for sweeps over millions of batch shapes.
/// </summary>
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
    /// <param name="timer">Kernel timer of the expected time; null takes <see cref="Physical.Kernels.KernelTimers.Expected"/>.</param>
    public StepEstimator(ModelMetrics metrics, GpuSpec gpu, ComputeDtype? dtype = null, bool applyEfficiency = false, IKernelTimer? timer = null)
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
        Physical = new StepModel(PhysicalModel.From(metrics.Source), gpu, timer);
    }

    /// <summary>The physical step model behind <see cref="StepEstimate.ExpectedSeconds"/> and <see cref="StepEstimate.BoundSeconds"/>.</summary>
    public StepModel Physical { get; }

    /// <summary>The model.</summary>
    public ModelMetrics Metrics { get; }

    /// <summary>The GPU.</summary>
    public GpuSpec Gpu { get; }

    /// <summary>The compute dtype whose peak is used.</summary>
    public ComputeDtype Dtype { get; }

    /// <summary>Totals and roofline time of a step, per GPU.</summary>
    public StepEstimate Estimate(in Batch ctx)
    {
        Span<double> opFlops = stackalloc double[Operations.Count];
        Span<double> opBytes = stackalloc double[Operations.Count];
        opFlops.Clear();
        opBytes.Clear();
        var flops = Accumulate(Metric.Flops, ctx, opFlops);
        var reads = Accumulate(Metric.ReadBytes, ctx, opBytes);
        var writes = Accumulate(Metric.WriteBytes, ctx, opBytes);
        double seconds = 0;
        for (var i = 0; i < opFlops.Length; i++)
        {
            seconds += Math.Max(opFlops[i] / _peak, opBytes[i] / _bandwidth);
        }

        var comm = _commBytesPerToken * ctx.TotalTokens / _commBytesPerSecond;
        var lowerBound = Math.Max(ToDouble(flops) / _peak, ToDouble(reads + writes) / _bandwidth);
        var physical = Physical.Estimate(ctx);
        return new StepEstimate(flops, reads, writes, seconds, comm, lowerBound)
        {
            ExpectedSeconds = physical.ExpectedSeconds,
            BoundSeconds = physical.BoundSeconds,
        };
    }

    // Implementation note: nearly every count fits in 64 bits, and long → double is one instruction.
    private static double ToDouble(Int128 value) =>
        value >= long.MinValue && value <= long.MaxValue ? (long)value : (double)value;

    private Int128 Accumulate(Metric metric, in Batch ctx, Span<double> perOperation)
    {
        var terms = TermBuffer.Create();
        Metrics.Write(metric, ctx, Scope.PerGpu, ref terms);
        for (var i = 0; i < terms.Count; i++)
        {
            var term = terms[i];
            perOperation[term.Key.Operation] += ToDouble(term.Value);
        }

        return terms.Total;
    }
}

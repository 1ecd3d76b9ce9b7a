using PerfNotebooks.Hardware;
using PerfNotebooks.Models;
using PerfNotebooks.Physical;
namespace PerfNotebooks.Measured;

/// <summary>
/// Expected step times for one model on one GPU, per <see cref="KernelCategory"/>: the physical book's
/// <see cref="StepModel"/> with the shipped timer (or one given), optionally calibrated. What measured steps are held
/// against.
/// </summary>
public sealed class StepEstimates
{
    private readonly LinkModel _link;

    /// <summary>Prepares estimates of <paramref name="source"/> on <paramref name="gpu"/>.</summary>
    /// <param name="source">The resolved model.</param>
    /// <param name="gpu">The GPU.</param>
    /// <param name="timer">Kernel timer; null takes the shipped one for the GPU.</param>
    /// <param name="calibration">Scale factors applied to the timer; null: none.</param>
    public StepEstimates(ModelSource source, GpuSpec gpu, IKernelTimer? timer = null, Calibration? calibration = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(gpu);
        var baseTimer = timer ?? Physical.Kernels.KernelTimers.Expected(gpu);
        Calibration = calibration;
        Model = new StepModel(PhysicalModel.From(source), gpu, calibration is null ? baseTimer : calibration.Apply(baseTimer));
        _link = LinkModel.For(gpu);
    }

    /// <summary>The step model (calibrated when a calibration was given).</summary>
    public StepModel Model { get; }

    /// <summary>The calibration applied, if any.</summary>
    public Calibration? Calibration { get; }

    /// <summary>The expected time of <paramref name="batch"/>, per category.</summary>
    public CategoryEstimate Estimate(in Batch batch)
    {
        var seconds = new double[KernelClassifier.All.Count];
        foreach (var op in Model.Operations(batch))
        {
            seconds[(int)KernelClassifier.Of(op.Kind)] += op.SecondsPerCall(Model.Timer, _link) * op.Calls;
        }

        var time = Model.Estimate(batch);
        return new CategoryEstimate([.. seconds], time.OverheadSeconds, time.ExpectedSeconds, time.BoundSeconds, time.Flops, time.Bytes);
    }
}

using System.Collections.Immutable;
using PerfNotebooks.Analysis;
using PerfNotebooks.Hardware;
using PerfNotebooks.Measured;
using PerfNotebooks.Models;
using PerfNotebooks.Serving;
using PerfNotebooks.Vllm;
namespace PerfNotebooks.Rendering;

/// <summary>Everything a report shows: the model and its step on a GPU, memory plans, an optional serving benchmark
/// and an optional sweep.</summary>
/// <param name="ModelName">The model as the user named it.</param>
/// <param name="Metrics">The model's metrics for the chosen engine settings.</param>
/// <param name="Batch">The step evaluated.</param>
/// <param name="Gpu">The GPU.</param>
/// <param name="Roofline">The step's roofline on the GPU.</param>
/// <param name="MemoryPlans">Memory plans to compare (label, plan), the chosen layout first.</param>
/// <param name="Sweep">Sweep rows (may be empty).</param>
public sealed record Report(
    string ModelName,
    ModelMetrics Metrics,
    Batch Batch,
    GpuSpec Gpu,
    RooflineReport Roofline,
    ImmutableArray<(string Label, MemoryPlan Plan)> MemoryPlans,
    ImmutableArray<SweepRow> Sweep)
{
    /// <summary>A serving benchmark simulated on the model and GPU (vllm bench serve, aiperf or a static batch); null: none.</summary>
    public ServeBenchmarkResult? Serve { get; init; }

    /// <summary>What was measured, beside the prediction (<c>PerfModel.Measured</c>'s comparison); null: the report has
    /// no measured section.</summary>
    public IMeasuredComparison? Measured { get; init; }

    /// <summary>Builds a report: the step's roofline, memory plans at TP 1, 2, 4 and 8 (and the chosen layout), and the sweep's rows.</summary>
    public static Report Build(string modelName, ModelMetrics metrics, Batch batch, GpuSpec gpu, SweepSpec? sweep = null, long contextLength = 0, ComputeDtype? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return Build(PerfModel.From(modelName, metrics), batch, gpu, sweep, contextLength, dtype);
    }

    /// <summary>Builds a report of <paramref name="model"/>: the step's roofline with the physical expected time, memory plans at TP 1, 2, 4 and 8 (and the chosen layout), and the sweep's rows.</summary>
    public static Report Build(PerfModel model, Batch batch, GpuSpec gpu, SweepSpec? sweep = null, long contextLength = 0, ComputeDtype? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(gpu);
        var metrics = model.Metrics;
        var engine = model.Engine;
        var plans = ImmutableArray.CreateBuilder<(string, MemoryPlan)>();
        plans.Add(($"{engine.Layout} (chosen)", model.Memory(gpu, contextLength: contextLength)));
        foreach (var tp in new[] { 1, 2, 4, 8 })
        {
            if (tp == engine.TensorParallel && engine.PipelineParallel == 1)
            {
                continue;
            }

            try
            {
                var other = model.With(engine with { TensorParallel = tp, PipelineParallel = 1 });
                if (other.Skipped.IsEmpty)
                {
                    plans.Add(($"TP{tp}", other.Memory(gpu, contextLength: contextLength)));
                }
            }
            catch (EngineConfigException)
            {
                // A layout vLLM rejects (heads not divisible) has no plan; the others still compare.
            }
        }

        return new Report(model.Name, metrics, batch, gpu, model.Roofline(batch, gpu, dtype),
            plans.ToImmutable(), sweep is null ? [] : [.. Analysis.Sweep.Run(sweep)]);
    }
}

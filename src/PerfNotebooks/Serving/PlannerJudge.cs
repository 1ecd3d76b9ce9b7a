using PerfNotebooks.Hardware;
using PerfNotebooks.Models;
using PerfNotebooks.Physical;

namespace PerfNotebooks.Serving;

/// <summary>Which part of a request a replica serves.</summary>
internal enum PlannerRole
{
    /// <summary>Prefill and decode (aggregated serving).</summary>
    Aggregated,

    /// <summary>Prefill only: one output token, then the KV cache leaves for a decode pool.</summary>
    Prefill,

    /// <summary>Decode only: the prompt's KV cache arrives from a prefill pool.</summary>
    Decode,
}

/// <summary>One candidate replica: a model at a layout on a GPU kind, in a role.</summary>
internal sealed record PlannerReplica(ModelSource Source, PhysicalModel Model, GpuSpec Gpu, PlannerRole Role)
{
    public string Label => Gpu.Name + " " + DeploymentPool.Describe(Source.Engine) + Role switch
    {
        PlannerRole.Prefill => " (prefill)",
        PlannerRole.Decode => " (decode)",
        _ => string.Empty,
    };
}

/// <summary>
/// Judges one replica at a request rate by simulating it serving Poisson arrivals: the same simulation
/// <c>perfnb serve --request-rate</c> runs. Tests substitute their own.
/// </summary>
internal interface IPlannerJudge
{
    /// <summary>One replica's prediction at <paramref name="requestRate"/> requests per second, <paramref name="numPrompts"/> prompts.</summary>
    DeploymentPrediction Judge(PlannerReplica replica, PlannerRequest request, double requestRate, int numPrompts);
}

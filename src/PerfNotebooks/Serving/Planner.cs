using PerfNotebooks.Models;

namespace PerfNotebooks.Serving;

/// <summary>
/// The capacity planner: the cheapest deployment (GPU kind, layout, replicas; aggregated or disaggregated) that serves
/// a request rate within latency targets, every candidate judged by simulating vLLM serving it.
/// </summary>
public static class Planner
{
    /// <summary>
    /// Plans a deployment of <paramref name="source"/>'s model (its config, and its engine settings for what the
    /// request does not vary: HF overrides, sliding windows, vLLM revision) for <paramref name="request"/>.
    /// </summary>
    /// <remarks>
    /// Candidates are the grid's GPU kinds × layouts × dtypes. Each passes a memory check first (weights,
    /// activations of vLLM's profile run and one request's KV cache per GPU); then its fewest replicas is found by
    /// doubling and bisection on the share of the request rate one replica serves within the targets in a simulation
    /// of Poisson arrivals (the simulator's percentiles). The cheapest deployments are re-simulated with
    /// <see cref="PlannerRequest.NumPrompts"/> prompts, the call <c>perfnb serve</c> makes.
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static PlannerResult Plan(ModelSource source, PlannerRequest request)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(request);
        return new PlannerSearch(source, request, new PlannerSimulation()).Run();
    }

    /// <summary>The same search with another judge (tests).</summary>
    internal static PlannerResult Plan(ModelSource source, PlannerRequest request, IPlannerJudge judge) =>
        new PlannerSearch(source, request, judge).Run();
}

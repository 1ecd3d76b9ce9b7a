namespace PerfNotebooks.Serving;

/// <summary>
/// When no deployment meets the targets: the target that came closest, the candidate that came closest to it, and
/// what it would take.
/// </summary>
/// <param name="Target">The target that came closest (<c>TTFT</c>, <c>TPOT</c> or <c>E2EL</c>).</param>
/// <param name="Candidate">The closest candidate: GPU and layout.</param>
/// <param name="PredictedMs">Its prediction for that target at the lowest rate tried, ms.</param>
/// <param name="TargetMs">The target, ms.</param>
/// <param name="WorstRatio">Its worst predicted ÷ target over every target (above 1).</param>
/// <param name="Advice">What it would take, in words.</param>
public sealed record PlannerMiss(string Target, string Candidate, double PredictedMs, double TargetMs, double WorstRatio, string Advice);

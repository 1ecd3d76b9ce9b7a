namespace PerfNotebooks.Vllm.Stats;

/// <summary>
/// What a vLLM server running this model would expose for a step or a run of steps, in the format of the model's
/// vLLM revision: the MFU info log line (<c>MFU: 44.3 TF/s/device 19.2 GB/s/device</c>) and the Prometheus perf
/// counters (<c>vllm:estimated_flops_per_gpu_total</c> and the read/write byte counters), so a user can diff them
/// against the server's log and <c>/metrics</c>.
/// </summary>
/// <param name="Revision">The vLLM revision whose formats are used.</param>
/// <param name="MfuLogLine">The line <c>PerfMetricsLogging.log</c> prints for the steps over the elapsed time, or null
/// when every total is 0 (vLLM then logs nothing).</param>
/// <param name="Counters">The counters after observing the steps.</param>
public sealed record VllmExports(VllmRevision Revision, string? MfuLogLine, PrometheusCounters Counters)
{
    /// <summary>Whether the revision exports the Prometheus counters (2026-09 on; vLLM 2025-12 had none).</summary>
    public bool HasCounters => Revision.Ordinal >= VllmRevision.V2026_09.Ordinal;

    /// <summary>The counters as Prometheus text exposition lines, or empty when the revision exports none.</summary>
    public string PrometheusText => HasCounters ? Counters.ToExposition() : string.Empty;

    /// <summary>The exports for one step of <paramref name="metrics"/> logged <paramref name="elapsedSeconds"/> after the
    /// previous log (per GPU, as vLLM).</summary>
    /// <exception cref="OverflowException">A count does not fit in 128 bits.</exception>
    public static VllmExports ForStep(ModelMetrics metrics, Batch step, double elapsedSeconds, string modelName, string logPrefix = "") =>
        ForSteps(metrics, [step], elapsedSeconds, modelName, logPrefix);

    /// <summary>The exports for a run of steps of <paramref name="metrics"/> logged once, <paramref name="elapsedSeconds"/>
    /// after the logger started (per GPU, as vLLM; the engine label is <c>0</c>).</summary>
    /// <exception cref="OverflowException">A count does not fit in 128 bits.</exception>
    public static VllmExports ForSteps(ModelMetrics metrics, IEnumerable<Batch> steps, double elapsedSeconds, string modelName, string logPrefix = "")
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(modelName);
        return FromStats(metrics.Revision, steps.Select(step => ToStats(metrics.Totals(step))), elapsedSeconds, modelName, logPrefix);
    }

    /// <summary>The exports for per-GPU step stats already computed (<see cref="ModelMetrics.StepStats"/>).</summary>
    public static VllmExports FromStats(VllmRevision revision, IEnumerable<PerfStats> steps, double elapsedSeconds, string modelName, string logPrefix = "")
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(modelName);
        ArgumentNullException.ThrowIfNull(logPrefix);
        var logger = new PerfMetricsLogger(debug: false, revision);
        var counters = new PrometheusCounters(modelName);
        foreach (var stats in steps)
        {
            logger.Observe(stats);
            counters = counters.Observe(stats);
        }

        return new VllmExports(revision, logger.Log(elapsedSeconds, logPrefix).Messages.FirstOrDefault(), counters);
    }

    private static PerfStats ToStats(StepTotals totals) => new(totals.Flops, totals.ReadBytes, totals.WriteBytes, null);
}

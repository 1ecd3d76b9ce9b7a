using System.Globalization;

namespace PerfNotebooks.Serving;

/// <summary>
/// What the serving simulation predicts for a deployment at its request rate: latencies at the targets' percentile and
/// their means (milliseconds, per request, as <c>vllm bench serve</c> reports them) and the throughput of the whole
/// deployment (requests and output tokens per second).
/// </summary>
/// <param name="Percentile">The percentile of the <c>P…</c> figures, in (0, 100].</param>
/// <param name="TtftMs">Time to first token at <paramref name="Percentile"/>, ms.</param>
/// <param name="TpotMs">Time per output token at <paramref name="Percentile"/>, ms.</param>
/// <param name="ItlMs">Inter-token latency at <paramref name="Percentile"/>, ms.</param>
/// <param name="E2elMs">End-to-end latency at <paramref name="Percentile"/>, ms.</param>
/// <param name="MeanTtftMs">Mean time to first token, ms.</param>
/// <param name="MeanTpotMs">Mean time per output token, ms.</param>
/// <param name="MeanItlMs">Mean inter-token latency, ms.</param>
/// <param name="MeanE2elMs">Mean end-to-end latency, ms.</param>
/// <param name="RequestThroughput">Completed requests per second, whole deployment.</param>
/// <param name="OutputThroughput">Generated tokens per second, whole deployment.</param>
public sealed record DeploymentPrediction(
    double Percentile,
    double TtftMs,
    double TpotMs,
    double ItlMs,
    double E2elMs,
    double MeanTtftMs,
    double MeanTpotMs,
    double MeanItlMs,
    double MeanE2elMs,
    double RequestThroughput,
    double OutputThroughput)
{
    /// <summary>Output tokens per second one user sees: 1000 ÷ mean TPOT (ms).</summary>
    public double TokensPerSecondPerUser => MeanTpotMs > 0 ? 1e3 / MeanTpotMs : 0;

    /// <summary>The same figures for a deployment of <paramref name="replicas"/> identical replicas, each at its share of the rate.</summary>
    public DeploymentPrediction Times(int replicas) =>
        this with { RequestThroughput = RequestThroughput * replicas, OutputThroughput = OutputThroughput * replicas };

    /// <summary>
    /// Every figure under vllm bench serve's result field names: <c>mean_ttft_ms</c>, <c>p90_ttft_ms</c>, …,
    /// <c>request_throughput</c>, <c>output_throughput</c>.
    /// </summary>
    public IEnumerable<(string Name, double Value)> Fields()
    {
        var p = "p" + Percentile.ToString("0.###", CultureInfo.InvariantCulture);
        yield return ("request_throughput", RequestThroughput);
        yield return ("output_throughput", OutputThroughput);
        yield return ("mean_ttft_ms", MeanTtftMs);
        yield return (p + "_ttft_ms", TtftMs);
        yield return ("mean_tpot_ms", MeanTpotMs);
        yield return (p + "_tpot_ms", TpotMs);
        yield return ("mean_itl_ms", MeanItlMs);
        yield return (p + "_itl_ms", ItlMs);
        yield return ("mean_e2el_ms", MeanE2elMs);
        yield return (p + "_e2el_ms", E2elMs);
    }

    /// <summary><c>p90 TTFT 412 ms, TPOT 31.2 ms, ITL 30.9 ms, E2EL 8.35 s; 9.98 req/s, 2.55 k tok/s</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"p{Percentile:0.###} TTFT {Units.Seconds(TtftMs / 1e3)}, TPOT {Units.Seconds(TpotMs / 1e3)}, ITL {Units.Seconds(ItlMs / 1e3)}, E2EL {Units.Seconds(E2elMs / 1e3)}; " +
        $"{Units.Significant(RequestThroughput)} req/s, {Units.Si(OutputThroughput, "tok/s")}");
}

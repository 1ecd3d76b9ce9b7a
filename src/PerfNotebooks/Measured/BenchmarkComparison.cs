using System.Collections.Immutable;
using PerfNotebooks.Serving;
namespace PerfNotebooks.Measured;

/// <summary>A serving benchmark's result beside the same client settings replayed through the serving simulator, in
/// <c>vllm bench serve</c>'s field names.</summary>
public sealed class BenchmarkComparison : IMeasuredComparison
{
    /// <summary>The figures compared, in display order.</summary>
    public static ImmutableArray<string> Fields { get; } =
        ["mean_ttft_ms", "median_ttft_ms", "p99_ttft_ms", "mean_tpot_ms", "median_tpot_ms", "p99_tpot_ms", "mean_itl_ms", "median_itl_ms", "p99_itl_ms",
         "mean_e2el_ms", "median_e2el_ms", "p99_e2el_ms", "output_throughput", "request_throughput", "total_token_throughput", "duration"];

    internal BenchmarkComparison(BenchmarkResult result, ServeBenchmarkResult replay, ImmutableDictionary<string, double> predicted, ImmutableDictionary<string, double> bound, ImmutableArray<string> notes)
    {
        Result = result;
        Replay = replay;
        Predicted = predicted;
        Bound = bound;
        Notes = notes;
    }

    /// <summary>The measured result.</summary>
    public BenchmarkResult Result { get; }

    /// <summary>The simulated run.</summary>
    public ServeBenchmarkResult Replay { get; }

    /// <summary>Predicted figures under bench serve's names (the simulator computes them as serve.py does).</summary>
    public ImmutableDictionary<string, double> Predicted { get; }

    /// <summary>The same at the roofline bound.</summary>
    public ImmutableDictionary<string, double> Bound { get; }

    /// <summary>How the replay was set up, and what it could not mirror.</summary>
    public ImmutableArray<string> Notes { get; }
}

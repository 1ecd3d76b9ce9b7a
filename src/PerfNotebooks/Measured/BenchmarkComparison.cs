using System.Collections.Immutable;
using PerfNotebooks.Analysis;

namespace PerfNotebooks.Measured;

/// <summary>A serving benchmark's result beside the same client settings replayed through the serving simulator, in
/// <c>vllm bench serve</c>'s field names.</summary>
public sealed class BenchmarkComparison
{
    /// <summary>The figures compared, in display order.</summary>
    public static ImmutableArray<string> Fields { get; } =
        ["mean_ttft_ms", "median_ttft_ms", "mean_tpot_ms", "median_tpot_ms", "mean_itl_ms", "median_itl_ms", "mean_e2el_ms", "median_e2el_ms", "output_throughput", "request_throughput"];

    internal BenchmarkComparison(BenchmarkResult result, ServeResult replay, ImmutableDictionary<string, double> predicted, ImmutableDictionary<string, double> bound, ImmutableArray<string> notes)
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
    public ServeResult Replay { get; }

    /// <summary>Predicted figures under bench serve's names (means; the simulator's requests are identical, so medians equal means).</summary>
    public ImmutableDictionary<string, double> Predicted { get; }

    /// <summary>The same at the roofline bound.</summary>
    public ImmutableDictionary<string, double> Bound { get; }

    /// <summary>How the replay was set up, and what it could not mirror.</summary>
    public ImmutableArray<string> Notes { get; }
}

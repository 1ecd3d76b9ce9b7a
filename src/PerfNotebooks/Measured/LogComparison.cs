using System.Collections.Immutable;

namespace PerfNotebooks.Measured;

/// <summary>A server log held against the model: every iteration line re-estimated with its own batch, the MFU
/// lines beside their meaning on the GPU, and the gap by kind of step.</summary>
public sealed class LogComparison : IMeasuredComparison
{
    internal LogComparison(ServerLog log, ImmutableArray<StepComparison> steps, ImmutableArray<MfuComparison> mfu, long decodeContext, bool contextGiven, ImmutableArray<SkippedInput> skipped)
    {
        Log = log;
        Steps = steps;
        Mfu = mfu;
        DecodeContextLength = decodeContext;
        DecodeContextGiven = contextGiven;
        Skipped = skipped;
    }

    private static readonly string[] Kinds = ["prefill", "decode", "mixed"];

    /// <summary>The log.</summary>
    public ServerLog Log { get; }

    /// <summary>Each non-dummy step beside its expected time, in log order.</summary>
    public ImmutableArray<StepComparison> Steps { get; }

    /// <summary>Each MFU line beside its meaning.</summary>
    public ImmutableArray<MfuComparison> Mfu { get; }

    /// <summary>The context each decode was taken to attend to (the iteration line does not say).</summary>
    public long DecodeContextLength { get; }

    /// <summary>Whether <see cref="DecodeContextLength"/> was given (else: the mean prefill length of the log).</summary>
    public bool DecodeContextGiven { get; }

    /// <summary>Lines not used, with why (the log's own, and dummy steps).</summary>
    public ImmutableArray<SkippedInput> Skipped { get; }

    /// <summary>Measured and expected seconds summed over the steps of each kind (<c>prefill</c>, <c>decode</c>, <c>mixed</c>, <c>all</c>).</summary>
    public ImmutableArray<(string Kind, long Steps, double MeasuredSeconds, double ExpectedSeconds, double BoundSeconds)> ByKind =>
    [
        .. Kinds.Select(k => Sum(k, Steps.Where(s => s.Kind == k))).Where(r => r.Item2 > 0),
        Sum("all", Steps),
    ];

    /// <summary>Root-mean-square relative error of the expected step time.</summary>
    public double RmsRelativeError => Steps.IsEmpty ? 0 : Math.Sqrt(Steps.Average(s => s.Gap * s.Gap));

    private static (string, long, double, double, double) Sum(string kind, IEnumerable<StepComparison> steps)
    {
        var list = steps.ToList();
        return (kind, list.Count, list.Sum(s => s.MeasuredSeconds), list.Sum(s => s.Expected.ExpectedSeconds), list.Sum(s => s.Expected.BoundSeconds));
    }
}

using System.Collections.Immutable;
using PerfNotebooks.Measured;
using PerfNotebooks.Vllm.Profiling;

namespace PerfNotebooks.Cli;

/// <summary><c>perfnb measured --json</c>: what was measured beside the expected time and bound, one record per source
/// kind; latencies in milliseconds, a null field left out, a non-finite one written as null.</summary>
internal static class MeasuredJson
{
    public static Log Of(string model, string gpu, LogComparison c) => new(
        model, gpu, c.Log.Source, c.DecodeContextLength,
        [.. c.Steps.Select(s => new LogStep(
            s.Step.Iteration, s.Step.Engine, s.Step.PrefillRequests, s.Step.PrefillTokens, s.Step.DecodeRequests, s.Step.DecodeTokens,
            s.Step.ElapsedMilliseconds, s.Expected.ExpectedSeconds * 1e3, s.Expected.BoundSeconds * 1e3, s.Step.Line))],
        [.. c.Mfu.Select(m =>
        {
            var physical = m.PhysicalTeraflopsPerSecond is not null && m.PhysicalGigabytesPerSecond is not null;
            return new MfuWindow(
                m.Line.Engine, m.Line.Line, m.Line.TeraflopsPerSecondPerGpu, m.Line.GigabytesPerSecondPerGpu, m.Mfu, m.Mbu, m.Steps,
                physical ? m.PhysicalTeraflopsPerSecond : null, physical ? m.PhysicalGigabytesPerSecond : null);
        })],
        c.RmsRelativeError,
        Of(c.Skipped));

    public static Scrape Of(string model, string gpu, ScrapeComparison c) => new(
        model, gpu, c.Window.IntervalSeconds,
        c.Window.Series.ToDictionary(series => series, series => c.Window.Figures.Where(f => f.Series == series).ToDictionary(f => f.Name, f => f.Value)),
        c.Series.ToDictionary(s => s.Series, s => new ScrapeStep(
            s.Batch.PrefillTokens, s.Batch.DecodeRequests, s.Expected.ExpectedSeconds * 1e3, s.Expected.BoundSeconds * 1e3, s.Expected.ExpectedSeconds * 1e3)),
        Of(c.Window.Skipped));

    public static Bench Of(string model, string gpu, BenchmarkComparison c) => new(
        model, gpu, c.Result.Format,
        Figures(c.Result.Figures, BenchmarkComparison.Fields.Concat(c.Result.Figures.Keys.Order(StringComparer.Ordinal))),
        Figures(c.Predicted, BenchmarkComparison.Fields), Figures(c.Bound, BenchmarkComparison.Fields), c.Notes, Of(c.Result.Skipped));

    public static TraceSet Of(string model, string gpu, IEnumerable<TraceComparison> comparisons) => new(
        model, gpu,
        [.. comparisons.Select(c => new Trace(
            c.Trace.Source, c.Trace.IsComplete, c.Trace.Events, c.Trace.Kernels, c.Batch.ToString(), Categories(c.Expected.CategorySeconds),
            c.Expected.OverheadSeconds * 1e3, c.Expected.BoundSeconds * 1e3, Categories(c.MeasuredPerStep),
            [.. c.Trace.Steps.Select(s => new TraceStepJson(s.Index, s.Name, s.WallSeconds * 1e3, Categories(s.CategorySeconds)))],
            Of(c.Trace.Skipped)))]);

    private static ImmutableArray<Skipped> Of(ImmutableArray<SkippedInput> skipped) => [.. skipped.Select(s => new Skipped(s.Source, s.Line, s.Reason))];

    // The benchmark's fields in vllm bench serve's order, then (measured only) any other field the file had.
    private static Dictionary<string, double> Figures(ImmutableDictionary<string, double> figures, IEnumerable<string> order) =>
        order.Distinct().Where(figures.ContainsKey).ToDictionary(f => f, f => figures[f]);

    // Milliseconds per kernel category, keyed as the tables and calibration files name them.
    private static Dictionary<string, double> Categories(ImmutableArray<double> seconds) =>
        KernelClassifier.All.ToDictionary(KernelClassifier.Key, c => seconds[(int)c] * 1e3);

    internal sealed record Skipped(string Source, long Line, string Why);

    internal sealed record Log(
        string Model, string Gpu, string Source, long DecodeContext, ImmutableArray<LogStep> Steps, ImmutableArray<MfuWindow> Mfu, double RmsRelativeError,
        ImmutableArray<Skipped> Skipped);

    internal sealed record LogStep(
        long Iteration, string Engine, long PrefillRequests, long PrefillTokens, long DecodeRequests, long DecodeTokens, double MeasuredMs, double ExpectedMs,
        double BoundMs, long Line);

    internal sealed record MfuWindow(
        string Engine, long Line, double TflopsPerSPerGpu, double GbytesPerSPerGpu, double Mfu, double Mbu, long Steps,
        double? PhysicalTflopsPerSPerGpu,
        double? PhysicalGbytesPerSPerGpu);

    internal sealed record Scrape(
        string Model, string Gpu, double? IntervalS,
        Dictionary<string, Dictionary<string, double>> Measured, Dictionary<string, ScrapeStep> Predicted, ImmutableArray<Skipped> Skipped);

    internal sealed record ScrapeStep(long PrefillTokensPerStep, long DecodeRequestsPerStep, double StepMs, double StepBoundMs, double MeanItlMs);

    internal sealed record Bench(
        string Model, string Gpu, string Format, Dictionary<string, double> Measured, Dictionary<string, double> Predicted, Dictionary<string, double> Bound,
        ImmutableArray<string> Notes, ImmutableArray<Skipped> Skipped);

    internal sealed record TraceSet(string Model, string Gpu, ImmutableArray<Trace> Traces);

    internal sealed record Trace(
        string Source, bool Complete, long Events, long Kernels, string Batch, Dictionary<string, double> ExpectedMs, double ExpectedOverheadMs, double BoundMs,
        Dictionary<string, double> MeasuredPerStepMs, ImmutableArray<TraceStepJson> Steps, ImmutableArray<Skipped> Skipped);

    internal sealed record TraceStepJson(int Index, string Name, double WallMs, Dictionary<string, double> KernelMs);
}

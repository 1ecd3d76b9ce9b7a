using System.Collections.Immutable;
using System.Globalization;
using PerfNotebooks.Measured;
namespace PerfNotebooks.Rendering;

// Measured beside predicted: logs, traces, benchmark results and scrapes.
public static partial class Tables
{
    /// <summary>
    /// The tables of any comparison <c>PerfModel.Measured</c> returns (log: steps, by kind, MFU lines when any; trace:
    /// categories and its steps; benchmark; scrape), then what the reader skipped when anything.
    /// </summary>
    public static ImmutableArray<TableModel> Measured(IMeasuredComparison comparison) => comparison switch
    {
        LogComparison log => [MeasuredSteps(log), MeasuredByKind(log), .. log.Mfu.IsEmpty ? Array.Empty<TableModel>() : [MeasuredMfu(log)], .. SkippedIfAny(log.Skipped)],
        TraceComparison trace => [MeasuredTrace(trace), .. trace.Trace.Steps.IsEmpty ? Array.Empty<TableModel>() : [TraceSteps(trace.Trace, 20)], .. SkippedIfAny(trace.Trace.Skipped)],
        BenchmarkComparison bench => [MeasuredBenchmark(bench), .. SkippedIfAny(bench.Result.Skipped)],
        ScrapeComparison scrape => [MeasuredScrape(scrape), .. SkippedIfAny(scrape.Window.Skipped)],
        _ => throw new ArgumentException($"comparison: {comparison?.GetType().Name ?? "null"} is not a comparison PerfModel.Measured returns", nameof(comparison)),
    };

    /// <summary>One line saying what a comparison read (its source and size) and its headline gap.</summary>
    public static string MeasuredHeading(IMeasuredComparison comparison) => comparison switch
    {
        LogComparison log => string.Create(CultureInfo.InvariantCulture,
            $"log {log.Log.Source}: {log.Steps.Length:N0} steps, rms relative error of the expected step time {log.RmsRelativeError * 100:F1} %"),
        TraceComparison trace => string.Create(CultureInfo.InvariantCulture,
            $"trace {trace.Trace.Source}: {trace.Trace.Steps.Length:N0} steps, {trace.Trace.Kernels:N0} kernels; kernel time per step measured {Units.Seconds(trace.MeasuredPerStep.Sum())}, expected {Units.Seconds(trace.Expected.CategorySeconds.Sum())}"),
        BenchmarkComparison bench => $"{bench.Result.Format} result {bench.Result.Source}: {bench.Result.Completed.ToString("N0", CultureInfo.InvariantCulture)} requests, replayed through the serving simulator",
        ScrapeComparison scrape => $"/metrics window: {string.Join(", ", scrape.Window.Series)}" +
            (scrape.Window.IntervalSeconds is { } s ? string.Create(CultureInfo.InvariantCulture, $" over {s:0.###} s") : string.Empty),
        _ => throw new ArgumentException($"comparison: {comparison?.GetType().Name ?? "null"} is not a comparison PerfModel.Measured returns", nameof(comparison)),
    };

    /// <summary>Each logged step (up to <paramref name="maxRows"/>): its batch, measured time, expected time, bound and gap.</summary>
    public static TableModel MeasuredSteps(LogComparison comparison, int maxRows = 40)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var table = new TableBuilder("measured steps", new("engine"), new("iteration", true), new("prefill req", true), new("prefill tok", true),
            new("decode req", true), new("decode tok", true), new("measured", true), new("expected", true), new("bound", true), new("gap", true));
        foreach (var s in comparison.Steps.Take(maxRows))
        {
            table.Row(s.Step.Engine, TableCell.Count(s.Step.Iteration), TableCell.Count(s.Step.PrefillRequests), TableCell.Count(s.Step.PrefillTokens),
                TableCell.Count(s.Step.DecodeRequests), TableCell.Count(s.Step.DecodeTokens), TableCell.Seconds(s.MeasuredSeconds),
                TableCell.Seconds(s.Expected.ExpectedSeconds), TableCell.Seconds(s.Expected.BoundSeconds), Gap(s.Gap));
        }

        if (comparison.Steps.Length > maxRows)
        {
            table.Note($"… {comparison.Steps.Length - maxRows:N0} more steps (--json lists every one)");
        }

        table.Note(string.Create(CultureInfo.InvariantCulture,
            $"decodes attend to {comparison.DecodeContextLength:N0} tokens ({(comparison.DecodeContextGiven ? "given" : "the log's mean prefill length; the iteration line does not say; set it with --decode-context")})"));
        return table.Build();
    }

    /// <summary>Measured and expected time summed by kind of step (prefill, decode, mixed, all): where the gap is.</summary>
    public static TableModel MeasuredByKind(LogComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var table = new TableBuilder("measured by kind", new("steps"), new("count", true), new("measured", true), new("expected", true), new("bound", true), new("gap", true));
        foreach (var (kind, steps, measured, expected, bound) in comparison.ByKind)
        {
            table.Add(kind == "all" ? TableRowKind.Total : TableRowKind.Body, null, null, kind, TableCell.Count(steps), TableCell.Seconds(measured),
                TableCell.Seconds(expected), TableCell.Seconds(bound), Gap(expected > 0 ? (measured / expected) - 1 : double.NaN));
        }

        table.Note(string.Create(CultureInfo.InvariantCulture, $"rms relative error of the expected step time: {comparison.RmsRelativeError * 100:F1} %"));
        return table.Build();
    }

    /// <summary>Each MFU line beside MFU and MBU on the GPU and the physical book's rates over the steps of its window.</summary>
    public static TableModel MeasuredMfu(LogComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var table = new TableBuilder("mfu", new("engine"), new("line", true), new("vLLM TF/s/GPU", true), new("vLLM GB/s/GPU", true), new("MFU", true), new("MBU", true),
            new("steps", true), new("physical TF/s/GPU", true), new("physical GB/s/GPU", true));
        foreach (var m in comparison.Mfu)
        {
            table.Row(m.Line.Engine, TableCell.Count(m.Line.Line), Fixed(m.Line.TeraflopsPerSecondPerGpu), Fixed(m.Line.GigabytesPerSecondPerGpu),
                TableCell.Percent(m.Mfu), TableCell.Percent(m.Mbu), TableCell.Count(m.Steps),
                m.PhysicalTeraflopsPerSecond is { } tf ? Fixed(tf) : "-", m.PhysicalGigabytesPerSecond is { } gb ? Fixed(gb) : "-");
        }

        table.Note("vLLM's figures are its own perf model's estimate over the logging window (idle time included); the physical ones divide the physical book's work of the iteration lines in that window by their logged time");
        return table.Build();
    }

    /// <summary>A trace's kernel time per category per step (mean) beside the expected time of the batch, largest gap first.</summary>
    public static TableModel MeasuredTrace(TraceComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var table = new TableBuilder("measured trace", new("category"), new("measured per step", true), new("expected", true), new("gap", true), new("ratio", true));
        foreach (var (category, measured, expected, gap) in comparison.Gaps)
        {
            table.Add(TableRowKind.Body, null, null, KernelClassifier.Key(category), TableCell.Seconds(measured), TableCell.Seconds(expected),
                Signed(gap), expected > 0 ? Fixed(measured / expected) : "-");
        }

        var measuredTotal = comparison.MeasuredPerStep.Sum();
        var expectedKernels = comparison.Expected.CategorySeconds.Sum();
        table.Add(TableRowKind.Total, null, null, "kernels", TableCell.Seconds(measuredTotal), TableCell.Seconds(expectedKernels), Signed(measuredTotal - expectedKernels),
            expectedKernels > 0 ? Fixed(measuredTotal / expectedKernels) : "-");
        var t = comparison.Trace;
        table.Note(string.Create(CultureInfo.InvariantCulture,
            $"{t.Steps.Length} steps, {t.Kernels:N0} kernels, {t.Events:N0} events{(t.Device is { } d ? " on " + d : string.Empty)}{(t.IsComplete ? string.Empty : "; the trace is incomplete (see skipped)")}"));
        table.Note("each step taken to run: " + comparison.Batch.ToString() + (comparison.BatchGiven ? string.Empty : " (the default step; set it with --prefill and --decode)"));
        table.Note(string.Create(CultureInfo.InvariantCulture, $"expected engine overhead per step (CPU, not in the trace's kernels): {Units.Seconds(comparison.Expected.OverheadSeconds)}; bound {Units.Seconds(comparison.Expected.BoundSeconds)}"));
        return table.Build();
    }

    /// <summary>A trace's steps: kernel time per category each.</summary>
    public static TableModel TraceSteps(ProfilerTrace trace, int maxRows = 40)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var columns = new List<TableColumn> { new("step"), new("name"), new("wall", true) };
        columns.AddRange(KernelClassifier.All.Select(c => new TableColumn(KernelClassifier.Key(c), true)));
        var table = new TableBuilder("trace steps", [.. columns]);
        foreach (var s in trace.Steps.Take(maxRows))
        {
            var cells = new List<TableCell> { TableCell.Count(s.Index), s.Name, TableCell.Seconds(s.WallSeconds) };
            cells.AddRange(KernelClassifier.All.Select(c => TableCell.Seconds(s.Seconds(c))));
            table.Row([.. cells]);
        }

        if (trace.Steps.Length > maxRows)
        {
            table.Note($"… {trace.Steps.Length - maxRows:N0} more steps");
        }

        return table.Build();
    }

    /// <summary>A benchmark result beside its replay, in bench serve's field names.</summary>
    public static TableModel MeasuredBenchmark(BenchmarkComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var table = new TableBuilder("measured benchmark", new("field"), new("measured", true), new("predicted", true), new("bound", true), new("gap", true));
        foreach (var field in BenchmarkComparison.Fields)
        {
            var measured = comparison.Result.Get(field);
            var predicted = comparison.Predicted.TryGetValue(field, out var p) ? p : (double?)null;
            if (measured is null && predicted is null)
            {
                continue;
            }

            var bound = comparison.Bound.TryGetValue(field, out var b) ? b : (double?)null;
            table.Row(field, measured is { } m ? Fixed(m) : "-", predicted is { } pr ? Fixed(pr) : "-", bound is { } bo ? Fixed(bo) : "-",
                measured is { } m2 && predicted is { } p2 && p2 > 0 ? Gap((m2 / p2) - 1) : "-");
        }

        foreach (var note in comparison.Notes)
        {
            table.Note(note);
        }

        return table.Build();
    }

    /// <summary>A scrape window: measured figures per series, and the mean step's expected time.</summary>
    public static TableModel MeasuredScrape(ScrapeComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var table = new TableBuilder("measured scrape", new("series"), new("figure"), new("measured", true), new("predicted", true));
        foreach (var series in comparison.Window.Series)
        {
            var predicted = comparison.Series.FirstOrDefault(s => s.Series == series);
            foreach (var f in comparison.Window.Figures.Where(f => f.Series == series))
            {
                table.Row(series, f.Name, Fixed(f.Value), Predicted(f.Name, predicted.Expected));
            }

            if (predicted.Expected is { } e)
            {
                table.Row(series, "step_ms (mean step)", comparison.Window.Get("steps_per_s", series) is { } rate && rate > 0 ? Fixed(1e3 / rate) : "-", Fixed(e.ExpectedSeconds * 1e3));
            }

            table.Rule();
        }

        foreach (var note in comparison.Notes)
        {
            table.Note(note);
        }

        return table.Build();
    }

    /// <summary>Lines, metrics or events a reader did not use, with why.</summary>
    public static TableModel Skipped(IEnumerable<SkippedInput> skipped, int maxRows = 20)
    {
        ArgumentNullException.ThrowIfNull(skipped);
        var list = skipped.ToList();
        var table = new TableBuilder("skipped", new("where"), new("why"));
        foreach (var s in list.Take(maxRows))
        {
            table.Row(s.Line > 0 ? $"{s.Source}:{s.Line}" : s.Source, s.Reason);
        }

        if (list.Count > maxRows)
        {
            table.Note($"… {list.Count - maxRows:N0} more");
        }

        return table.Build();
    }

    private static ImmutableArray<TableModel> SkippedIfAny(ImmutableArray<SkippedInput> skipped) => skipped.IsDefaultOrEmpty ? [] : [Skipped(skipped)];

    private static TableCell Predicted(string figure, CategoryEstimate? e) => e is null ? "-" : figure switch
    {
        "mean_itl_ms" or "median_itl_ms" or "mean_tpot_ms" => Fixed(e.ExpectedSeconds * 1e3),
        _ => "-",
    };

    private static TableCell Gap(double gap) => double.IsFinite(gap) ? new TableCell((gap >= 0 ? "+" : string.Empty) + (gap * 100).ToString("F0", CultureInfo.InvariantCulture) + " %") : "-";

    private static TableCell Signed(double seconds) => new((seconds >= 0 ? "+" : "−") + Units.Seconds(Math.Abs(seconds)));

    private static TableCell Fixed(double value) => new(Units.Significant(value));
}

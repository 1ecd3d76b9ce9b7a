using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using PerfNotebooks.Hardware;
using PerfNotebooks.Measured;
using PerfNotebooks.Rendering;
using PerfNotebooks.Requests;
using PerfNotebooks.Vllm.Profiling;

namespace PerfNotebooks.Cli;

/// <summary><c>perfnb measured</c>: what vLLM or the PyTorch profiler recorded, beside the expected time and bound of
/// the same steps; optionally a calibration fitted to it.</summary>
internal static class MeasuredCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var command = new Command("measured", "measured beside predicted: a vLLM log (--log), /metrics scrapes (--metrics), a benchmark result (--bench) " +
                                              "or a profiler trace (--trace, --profiler-config) beside the expected time and roofline bound of the same steps");
        command.Arguments.Add(CliOptions.Model);
        CliCommands.AddAll(command, CliOptions.Engine, [CliOptions.GpuName], CliOptions.Batch,
            [CliOptions.Log, CliOptions.Metrics, CliOptions.Bench, CliOptions.Trace, CliOptions.ProfilerConfig, CliOptions.IntervalSeconds, CliOptions.DecodeContext,
             CliOptions.Of(RequestOptions.Calibration), CliOptions.Fit, CliOptions.EngineVersion, CliOptions.Json]);
        CliCommands.SetAction(command, Run);
        return command;
    }

    private static int Run(ParseResult parse, Terminal terminal)
    {
        var given = new (string Name, bool Set)[]
        {
            ("--log", parse.GetValue(CliOptions.Log) is not null), ("--metrics", parse.GetValue(CliOptions.Metrics) is { Length: > 0 }),
            ("--bench", parse.GetValue(CliOptions.Bench) is not null), ("--trace", parse.GetValue(CliOptions.Trace) is not null),
            ("--profiler-config", parse.GetValue(CliOptions.ProfilerConfig) is not null),
        };
        if (given.Count(g => g.Set) != 1)
        {
            throw new CliException("perfnb measured: give exactly one of --log FILE, --metrics SCRAPE [SCRAPE2], --bench FILE, --trace FILE_OR_DIR or --profiler-config JSON");
        }

        var values = CliOptions.Values(parse);
        var name = parse.GetValue(CliOptions.Model)!;
        var model = PerfModel.Load(name, RequestOptions.ReadEngine(values));
        var gpu = RequestOptions.ReadGpu(values).Gpu;
        Calibration? calibration;
        try
        {
            calibration = RequestOptions.ReadCalibration(values, gpu);
        }
        catch (ArgumentException e)
        {
            throw new CliException("perfnb measured: " + e.Message);
        }

        var json = parse.GetValue(CliOptions.Json);
        var header = $"{name} on {gpu.Name} | {Tables.Layout(model.Engine)}{(calibration is null ? string.Empty : " | " + calibration)}";
        if (parse.GetValue(CliOptions.Log) is { } logFile)
        {
            var comparison = model.Measured(ServerLog.Load(logFile), gpu, calibration, parse.GetValue(CliOptions.DecodeContext));
            Fit(parse, terminal, gpu, logFile, [.. comparison.Steps.Select(s => (s.Expected, s.MeasuredSeconds))], json);
            if (json)
            {
                CliJson.Write(terminal.Output, MeasuredJson.Of(name, gpu.Name, comparison), CliJsonContext.Default.Log);
                return 0;
            }

            terminal.Line(header + " | log " + logFile);
            terminal.Line();
            terminal.Table(Tables.MeasuredSteps(comparison));
            terminal.Line();
            terminal.Table(Tables.MeasuredByKind(comparison));
            if (!comparison.Mfu.IsEmpty)
            {
                terminal.Line();
                terminal.Table(Tables.MeasuredMfu(comparison));
            }

            Skipped(terminal, comparison.Skipped);
            return 0;
        }

        if (parse.GetValue(CliOptions.Metrics) is { Length: > 0 } scrapes)
        {
            var window = MetricsWindow.Load(scrapes[0], scrapes.Length > 1 ? scrapes[1] : null, parse.GetValue(CliOptions.IntervalSeconds));
            var comparison = model.Measured(window, gpu, calibration, parse.GetValue(CliOptions.DecodeContext));
            if (json)
            {
                CliJson.Write(terminal.Output, MeasuredJson.Of(name, gpu.Name, comparison), CliJsonContext.Default.Scrape);
                return 0;
            }

            terminal.Line(header + " | " + string.Join(" → ", scrapes) + (window.IntervalSeconds is { } s ? string.Create(CultureInfo.InvariantCulture, $" ({s:0.###} s)") : string.Empty));
            terminal.Line();
            terminal.Table(Tables.MeasuredScrape(comparison));
            Skipped(terminal, window.Skipped);
            return 0;
        }

        if (parse.GetValue(CliOptions.Bench) is { } benchFile)
        {
            var comparison = model.Measured(BenchmarkResult.Load(benchFile), gpu, calibration);
            if (json)
            {
                CliJson.Write(terminal.Output, MeasuredJson.Of(name, gpu.Name, comparison), CliJsonContext.Default.Bench);
                return 0;
            }

            terminal.Line(header + $" | {comparison.Result.Format} result {benchFile}");
            terminal.Line();
            terminal.Table(Tables.MeasuredBenchmark(comparison));
            Skipped(terminal, comparison.Result.Skipped);
            return 0;
        }

        var files = TraceFiles(parse);
        var (batch, isDefault) = CliCommands.Batch(values);
        var comparisons = files.Select(f => model.Measured(ProfilerTrace.Load(f), gpu, isDefault ? null : batch, calibration)).ToList();
        Fit(parse, terminal, gpu, string.Join(", ", files), [], json, comparisons);
        if (json)
        {
            CliJson.Write(terminal.Output, MeasuredJson.Of(name, gpu.Name, comparisons), CliJsonContext.Default.TraceSet);
            return 0;
        }

        foreach (var c in comparisons)
        {
            terminal.Line(header + " | trace " + c.Trace.Source);
            terminal.Line();
            terminal.Table(Tables.MeasuredTrace(c));
            if (!c.Trace.Steps.IsEmpty)
            {
                terminal.Line();
                terminal.Table(Tables.TraceSteps(c.Trace, 20));
            }

            Skipped(terminal, c.Trace.Skipped);
            terminal.Line();
        }

        return 0;
    }

    private static ImmutableArray<string> TraceFiles(ParseResult parse)
    {
        if (parse.GetValue(CliOptions.Trace) is { } path)
        {
            if (Directory.Exists(path))
            {
                var found = ProfilerTrace.Find(path);
                return found.IsEmpty ? throw new FileNotFoundException($"no *.pt.trace.json[.gz] in folder '{path}'") : found;
            }

            return [path];
        }

        var text = parse.GetValue(CliOptions.ProfilerConfig)!;
        var json = File.Exists(text) ? File.ReadAllText(text) : text;
        var validation = ProfilerConfig.Validate(json, ProfilerEnvironment.Current);
        if (validation.Error is { } error || validation.Config is not { } config)
        {
            throw new CliException($"perfnb measured: --profiler-config {validation.Error?.Message ?? "is not usable"}");
        }

        var files = ProfilerTrace.Find(config);
        return files.IsEmpty ? throw new FileNotFoundException($"no *.pt.trace.json[.gz] in torch_profiler_dir '{config.TorchProfilerDir}'") : files;
    }

    private static void Fit(ParseResult parse, Terminal terminal, GpuSpec gpu, string source, ImmutableArray<(CategoryEstimate, double)> steps, bool json,
        List<TraceComparison>? traces = null)
    {
        if (parse.GetValue(CliOptions.Fit) is not { } file)
        {
            return;
        }

        var engine = parse.GetValue(CliOptions.EngineVersion) ?? string.Empty;
        Calibration calibration;
        try
        {
            calibration = traces is null
                ? CalibrationFit.FromSteps(steps, gpu.Name, engine, source)
                : CalibrationFit.FromCategories([.. traces.SelectMany(t => t.Trace.Steps.Select(s => (t.Expected, s.CategorySeconds)))], gpu.Name, engine, source);
        }
        catch (ArgumentException e)
        {
            throw new CliException("perfnb measured --fit: " + e.Message);
        }

        calibration.Save(file);
        if (!json)
        {
            terminal.Line($"wrote {file}: {calibration}");
            terminal.Line();
        }
    }

    private static void Skipped(Terminal terminal, ImmutableArray<SkippedInput> skipped)
    {
        if (!skipped.IsEmpty)
        {
            terminal.Line();
            terminal.Table(Tables.Skipped(skipped));
        }
    }
}

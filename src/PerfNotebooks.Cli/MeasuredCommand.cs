using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
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
                CliJson.Write(terminal.Output, w => WriteLog(w, name, gpu.Name, comparison));
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
                CliJson.Write(terminal.Output, w => WriteScrape(w, name, gpu.Name, comparison));
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
                CliJson.Write(terminal.Output, w => WriteBench(w, name, gpu.Name, comparison));
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
            CliJson.Write(terminal.Output, w => WriteTraces(w, name, gpu.Name, comparisons));
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

    private static void WriteSkipped(Utf8JsonWriter w, IEnumerable<SkippedInput> skipped)
    {
        w.WriteStartArray("skipped");
        foreach (var s in skipped)
        {
            w.WriteStartObject();
            w.WriteString("source", s.Source);
            w.WriteNumber("line", s.Line);
            w.WriteString("why", s.Reason);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteLog(Utf8JsonWriter w, string model, string gpu, LogComparison c)
    {
        w.WriteStartObject();
        w.WriteString("model", model);
        w.WriteString("gpu", gpu);
        w.WriteString("source", c.Log.Source);
        w.WriteNumber("decode_context", c.DecodeContextLength);
        w.WriteStartArray("steps");
        foreach (var s in c.Steps)
        {
            w.WriteStartObject();
            w.WriteNumber("iteration", s.Step.Iteration);
            w.WriteString("engine", s.Step.Engine);
            w.WriteNumber("prefill_requests", s.Step.PrefillRequests);
            w.WriteNumber("prefill_tokens", s.Step.PrefillTokens);
            w.WriteNumber("decode_requests", s.Step.DecodeRequests);
            w.WriteNumber("decode_tokens", s.Step.DecodeTokens);
            CliJson.Real(w, "measured_ms", s.Step.ElapsedMilliseconds);
            CliJson.Real(w, "expected_ms", s.Expected.ExpectedSeconds * 1e3);
            CliJson.Real(w, "bound_ms", s.Expected.BoundSeconds * 1e3);
            w.WriteNumber("line", s.Step.Line);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("mfu");
        foreach (var m in c.Mfu)
        {
            w.WriteStartObject();
            w.WriteString("engine", m.Line.Engine);
            w.WriteNumber("line", m.Line.Line);
            CliJson.Real(w, "tflops_per_s_per_gpu", m.Line.TeraflopsPerSecondPerGpu);
            CliJson.Real(w, "gbytes_per_s_per_gpu", m.Line.GigabytesPerSecondPerGpu);
            CliJson.Real(w, "mfu", m.Mfu);
            CliJson.Real(w, "mbu", m.Mbu);
            w.WriteNumber("steps", m.Steps);
            if (m.PhysicalTeraflopsPerSecond is { } tf && m.PhysicalGigabytesPerSecond is { } gb)
            {
                CliJson.Real(w, "physical_tflops_per_s_per_gpu", tf);
                CliJson.Real(w, "physical_gbytes_per_s_per_gpu", gb);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        CliJson.Real(w, "rms_relative_error", c.RmsRelativeError);
        WriteSkipped(w, c.Skipped);
        w.WriteEndObject();
    }

    private static void WriteScrape(Utf8JsonWriter w, string model, string gpu, ScrapeComparison c)
    {
        w.WriteStartObject();
        w.WriteString("model", model);
        w.WriteString("gpu", gpu);
        if (c.Window.IntervalSeconds is { } interval)
        {
            CliJson.Real(w, "interval_s", interval);
        }

        w.WriteStartObject("measured");
        foreach (var series in c.Window.Series)
        {
            w.WriteStartObject(series);
            foreach (var f in c.Window.Figures.Where(f => f.Series == series))
            {
                CliJson.Real(w, f.Name, f.Value);
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteStartObject("predicted");
        foreach (var (series, batch, e) in c.Series)
        {
            w.WriteStartObject(series);
            w.WriteNumber("prefill_tokens_per_step", batch.PrefillTokens);
            w.WriteNumber("decode_requests_per_step", batch.DecodeRequests);
            CliJson.Real(w, "step_ms", e.ExpectedSeconds * 1e3);
            CliJson.Real(w, "step_bound_ms", e.BoundSeconds * 1e3);
            CliJson.Real(w, "mean_itl_ms", e.ExpectedSeconds * 1e3);
            w.WriteEndObject();
        }

        w.WriteEndObject();
        WriteSkipped(w, c.Window.Skipped);
        w.WriteEndObject();
    }

    private static void WriteBench(Utf8JsonWriter w, string model, string gpu, BenchmarkComparison c)
    {
        w.WriteStartObject();
        w.WriteString("model", model);
        w.WriteString("gpu", gpu);
        w.WriteString("format", c.Result.Format);
        foreach (var (key, figures) in new[] { ("measured", c.Result.Figures), ("predicted", c.Predicted), ("bound", c.Bound) })
        {
            w.WriteStartObject(key);
            foreach (var field in BenchmarkComparison.Fields.Concat(key == "measured" ? figures.Keys.Order(StringComparer.Ordinal) : []).Distinct())
            {
                if (figures.TryGetValue(field, out var v))
                {
                    CliJson.Real(w, field, v);
                }
            }

            w.WriteEndObject();
        }

        w.WriteStartArray("notes");
        foreach (var note in c.Notes)
        {
            w.WriteStringValue(note);
        }

        w.WriteEndArray();
        WriteSkipped(w, c.Result.Skipped);
        w.WriteEndObject();
    }

    private static void WriteTraces(Utf8JsonWriter w, string model, string gpu, List<TraceComparison> comparisons)
    {
        w.WriteStartObject();
        w.WriteString("model", model);
        w.WriteString("gpu", gpu);
        w.WriteStartArray("traces");
        foreach (var c in comparisons)
        {
            var t = c.Trace;
            w.WriteStartObject();
            w.WriteString("source", t.Source);
            w.WriteBoolean("complete", t.IsComplete);
            w.WriteNumber("events", t.Events);
            w.WriteNumber("kernels", t.Kernels);
            w.WriteString("batch", c.Batch.ToString());
            Categories(w, "expected_ms", c.Expected.CategorySeconds);
            CliJson.Real(w, "expected_overhead_ms", c.Expected.OverheadSeconds * 1e3);
            CliJson.Real(w, "bound_ms", c.Expected.BoundSeconds * 1e3);
            Categories(w, "measured_per_step_ms", c.MeasuredPerStep);
            w.WriteStartArray("steps");
            foreach (var s in t.Steps)
            {
                w.WriteStartObject();
                w.WriteNumber("index", s.Index);
                w.WriteString("name", s.Name);
                CliJson.Real(w, "wall_ms", s.WallSeconds * 1e3);
                Categories(w, "kernel_ms", s.CategorySeconds);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            WriteSkipped(w, t.Skipped);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Categories(Utf8JsonWriter w, string name, ImmutableArray<double> seconds)
    {
        w.WriteStartObject(name);
        foreach (var c in KernelClassifier.All)
        {
            CliJson.Real(w, KernelClassifier.Key(c), seconds[(int)c] * 1e3);
        }

        w.WriteEndObject();
    }
}

using System.Globalization;
using PerfNotebooks.Analysis;
using PerfNotebooks.Hardware;
using PerfNotebooks.Physical;
using PerfNotebooks.Vllm;
using PerfNotebooks.Vllm.Profiling;
namespace PerfNotebooks.Rendering;

/// <summary>
/// Every table, built once as a <see cref="TableModel"/>: the terminal and HTML renderers draw the same rows, so a
/// column added here shows in the CLI, the report and notebooks.
/// </summary>
public static partial class Tables
{
    /// <summary>The one label for throughput: output (decode) tokens per second per GPU.</summary>
    public const string OutputTokensPerGpu = "output tok/s per GPU";

    /// <summary>The step breakdown: one row per term (FLOPs, read or write bytes), component subtotals, the total.</summary>
    public static TableModel Breakdown(Breakdown flops, Breakdown reads, Breakdown writes)
    {
        ArgumentNullException.ThrowIfNull(flops);
        ArgumentNullException.ThrowIfNull(reads);
        ArgumentNullException.ThrowIfNull(writes);
        var table = new TableBuilder("breakdown", new("term"), new("FLOPs", true), new("read", true), new("write", true));
        foreach (var component in flops.Concat(reads).Concat(writes).Select(t => t.Component).Distinct())
        {
            var color = Palette.Of(component);
            foreach (var term in flops.Where(t => t.Component == component))
            {
                table.Add(TableRowKind.Body, color, null, term.Qualified, TableCell.Flops(term.Value));
            }

            foreach (var term in reads.Where(t => t.Component == component))
            {
                table.Add(TableRowKind.Body, color, null, term.Qualified, TableCell.Empty, TableCell.Bytes(term.Value));
            }

            foreach (var term in writes.Where(t => t.Component == component))
            {
                table.Add(TableRowKind.Body, color, null, term.Qualified, TableCell.Empty, TableCell.Empty, TableCell.Bytes(term.Value));
            }

            table.Add(TableRowKind.Subtotal, null, null, component + " subtotal", TableCell.Flops(flops.ForComponent(component).Total),
                TableCell.Bytes(reads.ForComponent(component).Total), TableCell.Bytes(writes.ForComponent(component).Total));
            table.Rule();
        }

        table.Add(TableRowKind.Total, null, null, "total", TableCell.Flops(flops.Total), TableCell.Bytes(reads.Total), TableCell.Bytes(writes.Total));
        return table.Build();
    }

    /// <summary>The roofline: operations, components, the step and the TP all-reduce; the step time as a note.</summary>
    public static TableModel Roofline(RooflineReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var table = RooflineTable();
        foreach (var row in report.Operations)
        {
            AddRoofline(table, row, TableRowKind.Body);
        }

        table.Rule();
        foreach (var row in report.Components)
        {
            AddRoofline(table, row, TableRowKind.Subtotal);
        }

        table.Rule();
        AddRoofline(table, report.Step, TableRowKind.Total);
        if (report.Communication is { } comm)
        {
            AddRoofline(table, comm, TableRowKind.Body);
        }

        table.Note($"vLLM book roofline: {Units.Seconds(report.StepSeconds)} (operations in sequence{(report.Communication is null ? string.Empty : " + TP all-reduce")}); " +
                   $"lower bound {Units.Seconds(report.Step.Seconds)} (perfect overlap)");
        if (report.Physical is { } physical)
        {
            table.Note($"expected step time (physical book, kernel timer, engine overhead): {Units.Seconds(physical.ExpectedSeconds)}; " +
                       $"roofline bound {Units.Seconds(physical.BoundSeconds)}");
        }

        foreach (var warning in report.Warnings)
        {
            table.Note("warning: " + warning);
        }

        return table.Build();
    }

    /// <summary>The roofline of every breakdown term.</summary>
    public static TableModel RooflineTerms(RooflineReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var table = RooflineTable();
        foreach (var row in report.Terms)
        {
            AddRoofline(table, row, TableRowKind.Body);
        }

        return table.Build();
    }

    /// <summary>A memory plan: weights by part, usable memory, KV cache and per-token KV bytes; capacity or shortfall as a note.</summary>
    public static TableModel Memory(MemoryPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var table = new TableBuilder("memory", new("per GPU"), new("bytes", true));
        foreach (var (part, bytes) in plan.Weights)
        {
            table.Add(TableRowKind.Body, Palette.Of(part == "embed" ? "unembed" : part), null, "weights: " + part, TableCell.Bytes(bytes));
        }

        table.Rule();
        table.Add(TableRowKind.Subtotal, null, null, "weights", TableCell.Bytes(plan.WeightBytes));
        table.Row($"usable ({Percent(plan.Utilization)} of {Units.Bytes(plan.Gpu.MemoryBytes)})", TableCell.Bytes(plan.UsableBytes));
        if (plan.ReserveBytes > 0)
        {
            table.Row("reserve", TableCell.Bytes(plan.ReserveBytes));
        }

        table.Add(plan.Fits ? TableRowKind.Total : TableRowKind.Problem, null, null, "KV cache", plan.Fits ? TableCell.Bytes(plan.KvCacheBytes) : "none");
        table.Row("KV per token", TableCell.Bytes(plan.KvBytesPerToken));
        if (!plan.Fits)
        {
            table.Note($"does not fit: the weights need {Units.Bytes(plan.ShortfallBytes)} more than {Percent(plan.Utilization)} of {Units.Bytes(plan.Gpu.MemoryBytes)}; " +
                       "try a larger --tp or --pp, or a GPU with more memory");
        }
        else
        {
            table.Note($"KV cache holds {Whole(plan.TokensThatFit)} tokens" +
                       (plan.ContextLength > 0 ? $": {Whole(plan.SequencesThatFit)} sequences of {Whole(plan.ContextLength)} tokens at once" : string.Empty));
        }

        return table.Build();
    }

    /// <summary>
    /// Sweep rows: model, GPU, layout, the dtype, KV-cache dtype and quantization columns when they vary, batch,
    /// totals, intensity, bound, step time, <see cref="OutputTokensPerGpu"/>, MFU, and why a point is invalid or does not fit.
    /// </summary>
    public static TableModel Sweep(IEnumerable<SweepRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var list = rows.ToList();
        var dtype = list.Select(r => r.Config.Engine.Dtype).Distinct().Count() > 1;
        var kv = list.Select(r => r.Config.Engine.KvCacheDtype).Distinct().Count() > 1;
        var quant = list.Select(r => r.Config.Engine.Quantization).Distinct().Count() > 1;
        var columns = new List<TableColumn> { new("model"), new("gpu"), new("layout") };
        columns.AddRange(new[] { (dtype, "dtype"), (kv, "kv dtype"), (quant, "quant") }.Where(c => c.Item1).Select(c => new TableColumn(c.Item2)));
        columns.AddRange([new("batch"), new("FLOPs", true), new("bytes", true), new("FLOP/B", true), new("bound"), new("step (expected)", true),
            new("step (roofline)", true), new(OutputTokensPerGpu, true), new("MFU", true), new("fits")]);
        var table = new TableBuilder("sweep", [.. columns]);
        foreach (var r in list)
        {
            var e = r.Config.Engine;
            var cells = new List<TableCell> { r.Config.Model, r.Config.Gpu, Layout(e) };
            if (dtype)
            {
                cells.Add(e.Dtype);
            }

            if (kv)
            {
                cells.Add(e.KvCacheDtype);
            }

            if (quant)
            {
                cells.Add(e.Quantization ?? "checkpoint");
            }

            cells.Add(r.Batch.ToString());
            if (r.Config.Error is { } error)
            {
                cells.AddRange([TableCell.Empty, TableCell.Empty, TableCell.Empty, "invalid", TableCell.Empty, TableCell.Empty, TableCell.Empty, TableCell.Empty, "no: " + error]);
                table.Add(TableRowKind.Problem, null, error, [.. cells]);
                continue;
            }

            cells.AddRange([TableCell.Flops(r.Estimate.Flops), TableCell.Bytes(r.Estimate.Bytes), TableCell.Intensity(r.ArithmeticIntensity),
                r.Bound.ToString().ToLowerInvariant(), TableCell.Seconds(r.Seconds),
                r.Estimate.BoundSeconds > 0 ? TableCell.Seconds(r.Estimate.BoundSeconds) : "-",
                r.Batch.DecodeBatch > 0 ? TableCell.TokensPerSecond(r.OutputTokensPerSecondPerGpu) : "-", TableCell.Percent(r.Mfu),
                r.Fits ? "yes" : "no: " + r.Error]);
            table.Add(r.Fits ? TableRowKind.Body : TableRowKind.Problem, null, r.Error, [.. cells]);
        }

        return table.Build();
    }

    /// <summary>The GPU catalog: dense peak per dtype, memory, bandwidth, interconnect.</summary>
    public static TableModel Gpus(IEnumerable<GpuSpec> gpus)
    {
        ArgumentNullException.ThrowIfNull(gpus);
        var dtypes = Enum.GetValues<ComputeDtype>();
        var table = new TableBuilder("gpus", [new("gpu"), .. dtypes.Select(d => new TableColumn(d.ToString().ToLowerInvariant(), true)),
            new("memory", true), new("bandwidth", true), new("interconnect")]);
        foreach (var gpu in gpus)
        {
            table.Row([gpu.Name, .. dtypes.Select(d => gpu.Supports(d) ? TableCell.FlopRate(gpu.Peak(d)) : "-"),
                TableCell.Bytes(gpu.MemoryBytes), TableCell.Bandwidth(gpu.MemoryBytesPerSecond), $"{gpu.Interconnect} {Units.Bandwidth(gpu.InterconnectBytesPerSecond)}"]);
        }

        table.Note("dense (non-sparse) peaks; interconnect is per GPU, both directions");
        return table.Build();
    }

    /// <summary>One GPU's datasheet figures, efficiencies and source.</summary>
    public static TableModel Gpu(GpuSpec gpu)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        var table = new TableBuilder("gpu", new(string.Empty), new(string.Empty));
        table.Row("GPU", $"{gpu.Vendor} {gpu.Name}".Trim());
        foreach (var (dtype, peak) in gpu.PeakFlopsPerSecond.OrderBy(p => p.Key))
        {
            table.Row($"{dtype.ToString().ToLowerInvariant()} dense peak", TableCell.FlopRate(peak));
        }

        table.Row("memory", TableCell.Bytes(gpu.MemoryBytes))
            .Row("memory bandwidth", TableCell.Bandwidth(gpu.MemoryBytesPerSecond))
            .Row("interconnect", $"{gpu.Interconnect} {Units.Bandwidth(gpu.InterconnectBytesPerSecond)}")
            .Row("efficiency (FLOP/s, bandwidth)", $"{gpu.FlopsEfficiency.ToString("0.##", CultureInfo.InvariantCulture)}, {gpu.BandwidthEfficiency.ToString("0.##", CultureInfo.InvariantCulture)}")
            .Row("source", gpu.Source);
        return table.Build();
    }

    /// <summary>The model catalog, one row per model.</summary>
    public static TableModel Models(IEnumerable<(string Name, string HuggingFaceId, ModelSummary Summary)> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        var table = new TableBuilder("models", new("name"), new("hugging face id"), new("params", true), new("active", true), new("layers", true),
            new("hidden", true), new("heads/kv"), new("experts"), new("dtype"), new("quant"));
        foreach (var (name, id, s) in models)
        {
            table.Row(name, id, Params(s.Parameters), Params(s.ActiveParameters), TableCell.Count(s.Layers), TableCell.Count(s.HiddenSize),
                $"{s.Heads}/{s.KvHeads}", s.Experts == 0 ? "-" : $"{s.Experts} top-{s.TopK}", s.Dtype, s.Quantization ?? "-");
        }

        return table.Build();
    }

    /// <summary>The model: size, shape, layout, resolved dtype and quantization, and every skipped component with its reason.</summary>
    public static TableModel ModelSummary(ModelSummary summary, ModelMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(metrics);
        var e = metrics.Source.Engine;
        var table = new TableBuilder("model", new(string.Empty), new(string.Empty));
        table.Row("model", summary.Name)
            .Row("parameters", $"{Units.Si((double)summary.Parameters, string.Empty).TrimEnd()} ({Whole(summary.Parameters)})")
            .Row("active parameters", $"{Units.Si((double)summary.ActiveParameters, string.Empty).TrimEnd()} ({Whole(summary.ActiveParameters)})")
            .Row("layers × hidden", $"{summary.Layers} × {summary.HiddenSize}")
            .Row("heads / KV heads", $"{summary.Heads} / {summary.KvHeads}")
            .Row("experts", summary.Experts == 0 ? "dense" : $"{summary.Experts}, top-{summary.TopK}")
            .Row("dtype / quantization", $"{summary.Dtype} / {summary.Quantization ?? "none"}")
            .Row("KV cache dtype", e.KvCacheDtype)
            .Row("layout", $"{e.Layout} = {e.Gpus} GPUs")
            .Row("components", string.Join(", ", metrics.Components.Select(c => c.Name)));
        foreach (var skipped in metrics.Skipped)
        {
            table.Add(TableRowKind.Problem, null, null, $"skipped: {skipped.Name}", $"{skipped.ReasonName}: {skipped.Detail}");
        }

        return table.Build();
    }

    /// <summary>A profiler config (vLLM's <c>--profiler-config</c>), its warning or error.</summary>
    public static TableModel Profiler(ProfilerValidation validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        var table = new TableBuilder("profiler", new("field"), new("value"));
        if (validation.Config is { } config)
        {
            foreach (var (key, value) in config.ToJson())
            {
                table.Row(key, value?.ToJsonString().Trim('"') ?? "null");
            }
        }

        if (validation.Warning)
        {
            table.Add(TableRowKind.Problem, null, null, "warning", ProfilerValidation.WarningText);
        }

        if (validation.Error is { } error)
        {
            table.Add(TableRowKind.Problem, null, null, "error", $"{error.Kind}: {error.Message}");
        }

        return table.Build();
    }

    /// <summary>A serving benchmark as <c>vllm bench serve</c> prints it — requests, duration, tokens, throughputs,
    /// goodput, then mean, median, P90 and P99 of TTFT, TPOT, ITL and E2EL — expected beside the roofline bound; the
    /// engine's limits, step count, kernel timer and every note as notes.</summary>
    public static TableModel Serve(Serving.ServeBenchmarkResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var table = new TableBuilder("serve", new(string.Empty), new("expected", true), new("bound", true));
        if (result is { Expected: { } e, Bound: { } b })
        {
            table.Row("successful requests", TableCell.Count(e.Completed), TableCell.Count(b.Completed));
            table.Row("benchmark duration", TableCell.Seconds(e.DurationSeconds), TableCell.Seconds(b.DurationSeconds));
            table.Row("total input tokens", TableCell.Count(e.TotalInputTokens), TableCell.Count(b.TotalInputTokens));
            table.Row("total generated tokens", TableCell.Count(e.TotalOutputTokens), TableCell.Count(b.TotalOutputTokens));
            table.Row("request throughput", TableCell.FromString(Units.Significant(e.RequestThroughput) + " req/s"), TableCell.FromString(Units.Significant(b.RequestThroughput) + " req/s"));
            if (e.RequestGoodput is { } eg && b.RequestGoodput is { } bg)
            {
                table.Row("request goodput", TableCell.FromString(Units.Significant(eg) + " req/s"), TableCell.FromString(Units.Significant(bg) + " req/s"));
            }

            table.Row("output token throughput", TableCell.TokensPerSecond(e.OutputThroughput), TableCell.TokensPerSecond(b.OutputThroughput));
            table.Row("peak output token throughput", TableCell.TokensPerSecond(e.MaxOutputTokensPerSecond), TableCell.TokensPerSecond(b.MaxOutputTokensPerSecond));
            table.Row("total token throughput", TableCell.TokensPerSecond(e.TotalTokenThroughput), TableCell.TokensPerSecond(b.TotalTokenThroughput));
            var gpus = (double)result.Benchmark.Source.Engine.TensorParallel * result.Benchmark.Source.Engine.PipelineParallel * result.Benchmark.Source.Engine.DataParallel;
            table.Row(OutputTokensPerGpu, TableCell.TokensPerSecond(e.OutputThroughput / gpus), TableCell.TokensPerSecond(b.OutputThroughput / gpus));
            foreach (var (name, pick) in new (string, Func<Serving.BenchmarkMetrics, Serving.LatencyStats>)[]
                     {
                         ("TTFT", m => m.Ttft), ("TPOT", m => m.Tpot), ("ITL", m => m.Itl), ("E2EL", m => m.E2el),
                     })
            {
                var (se, sb) = (pick(e), pick(b));
                table.Row($"mean {name}", TableCell.Seconds(se.MeanSeconds), TableCell.Seconds(sb.MeanSeconds));
                table.Row($"median {name}", TableCell.Seconds(se.MedianSeconds), TableCell.Seconds(sb.MedianSeconds));
                table.Row($"P90 {name}", TableCell.Seconds(se.P90Seconds), TableCell.Seconds(sb.P90Seconds));
                table.Row($"P99 {name}", TableCell.Seconds(se.P99Seconds), TableCell.Seconds(sb.P99Seconds));
            }

            var l = result.Limits;
            table.Note($"engine per replica: max_num_batched_tokens {Whole(l.MaxNumBatchedTokens)}, max_num_seqs {Whole(l.MaxNumSeqs)}, {Whole(l.KvBlocks)} KV blocks of {l.BlockSize} tokens ({Whole(l.KvTokens)} tokens), CUDA graphs up to {Whole(l.MaxCudaGraphCaptureSize)}");
            table.Note($"{Whole(result.Steps)} steps, {Whole(result.Preemptions)} preemptions; expected times from the {result.TimerSource.DisplayName()} kernel timer for {result.Benchmark.Gpu.Name} with engine and API-server overhead, bound from the roofline at datasheet peaks without overheads");
        }
        else
        {
            table.Add(TableRowKind.Problem, null, null, "does not fit", "-", "-");
        }

        foreach (var note in result.Notes)
        {
            table.Note("note: " + note);
        }

        return table.Build();
    }

    /// <summary>The engine over time, one replica (expected clock): running and waiting requests, KV-cache use and
    /// preemptions so far, at up to <paramref name="points"/> evenly spaced times.</summary>
    public static TableModel ServeTimeline(Serving.ServeBenchmarkResult result, int points = 12)
    {
        ArgumentNullException.ThrowIfNull(result);
        var table = new TableBuilder("engine over time", new("time", true), new("running", true), new("waiting", true), new("KV cache", true), new("preemptions", true));
        foreach (var s in Serving.EngineTimeline.Sample(result.Timeline, points))
        {
            table.Row(TableCell.Seconds(s.TimeSeconds), TableCell.Count(s.Running), TableCell.Count(s.Waiting), TableCell.Percent(s.KvCacheUsage), TableCell.Count(s.Preemptions));
        }

        return table.Build();
    }

    /// <summary>A layout: <c>TP4 PP1 DP2 EP</c>.</summary>
    public static string Layout(EngineSettings engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return engine.Layout.ToString();
    }

    private static TableBuilder RooflineTable() =>
        new("roofline", new(string.Empty), new("FLOPs", true), new("bytes", true), new("FLOP/B", true), new("bound"), new("attainable", true), new("time", true));

    private static void AddRoofline(TableBuilder table, RooflineRow r, TableRowKind kind)
    {
        var comm = r.Bound == Bound.Communication;
        table.Add(kind, Palette.Of(comm ? "tp" : r.Name), null, r.Name, comm ? "-" : TableCell.Flops(r.Flops), TableCell.Bytes(r.Bytes),
            comm ? "-" : TableCell.Intensity(r.ArithmeticIntensity), r.Bound.ToString().ToLowerInvariant(),
            comm ? "-" : TableCell.FlopRate(r.AttainableFlopsPerSecond), TableCell.Seconds(r.Seconds));
    }

    private static TableCell Params(long count) => new(count >= 1_000_000_000
        ? (count / 1e9).ToString("F1", CultureInfo.InvariantCulture) + " B"
        : (count / 1e6).ToString("F0", CultureInfo.InvariantCulture) + " M", count.ToString(CultureInfo.InvariantCulture));

    private static string Percent(double fraction) => (fraction * 100).ToString("F1", CultureInfo.InvariantCulture) + " %";

    private static string Whole(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Net;
using PerfNotebooks.Analysis;
using PerfNotebooks.Execution;
using PerfNotebooks.Profiling;

namespace PerfNotebooks.Rendering;

/// <summary>HTML tables for every result type; pure functions of their input.</summary>
public static class HtmlTables
{
    /// <summary>The model: size, shape, layout, resolved dtype and quantization, and every skipped component with its reason.</summary>
    public static string ModelSummary(ModelSummary summary, ModelMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(metrics);
        var e = metrics.Source.Engine;
        var table = new HtmlTable("model", ["", ""]);
        table.Row("model", summary.Name)
            .Row("parameters", $"{Units.Si((double)summary.Parameters, string.Empty).TrimEnd()} ({summary.Parameters.ToString("N0", CultureInfo.InvariantCulture)})")
            .Row("active parameters", $"{Units.Si((double)summary.ActiveParameters, string.Empty).TrimEnd()} ({summary.ActiveParameters.ToString("N0", CultureInfo.InvariantCulture)})")
            .Row("layers × hidden", $"{summary.Layers} × {summary.HiddenSize}")
            .Row("heads / KV heads", $"{summary.Heads} / {summary.KvHeads}")
            .Row("experts", summary.Experts == 0 ? "dense" : $"{summary.Experts}, top-{summary.TopK}")
            .Row("dtype / quantization", $"{summary.Dtype} / {summary.Quantization ?? "none"}")
            .Row("KV cache dtype", e.KvCacheDtype)
            .Row("layout", $"TP {e.TensorParallel} × PP {e.PipelineParallel} × DP {e.DataParallel}{(e.EnableExpertParallel ? ", expert parallel" : string.Empty)} = {e.Gpus} GPUs")
            .Row("components", string.Join(", ", metrics.Components.Select(c => c.Name)));
        foreach (var skipped in metrics.Skipped)
        {
            table.StyledRow("skipped", null, $"skipped: {skipped.Name}", $"{skipped.ReasonName}: {skipped.Detail}");
        }

        return table.ToString();
    }

    /// <summary>The step breakdown: one row per term (FLOPs, read or write bytes), component subtotals, the total; exact counts on hover.</summary>
    public static string Breakdown(Breakdown flops, Breakdown reads, Breakdown writes)
    {
        ArgumentNullException.ThrowIfNull(flops);
        ArgumentNullException.ThrowIfNull(reads);
        ArgumentNullException.ThrowIfNull(writes);
        var table = new HtmlTable("breakdown", ["term", "FLOPs", "read", "write"], 1, 2, 3);
        var components = flops.Concat(reads).Concat(writes).Select(t => t.Component).Distinct().ToList();
        foreach (var component in components)
        {
            foreach (var (metric, breakdown) in new[] { (0, flops), (1, reads), (2, writes) })
            {
                foreach (var term in breakdown.Where(t => t.Component == component))
                {
                    var cell = metric == 0 ? Units.Flops(term.Value) : Units.Bytes(term.Value);
                    string[] cells = [term.Qualified, metric == 0 ? cell : string.Empty, metric == 1 ? cell : string.Empty, metric == 2 ? cell : string.Empty];
                    table.SwatchRow(Palette.Of(component), null, cells);
                }
            }

            table.StyledRow("subtotal", null, component + " subtotal", Units.Flops(flops.ForComponent(component).Total),
                Units.Bytes(reads.ForComponent(component).Total), Units.Bytes(writes.ForComponent(component).Total));
        }

        table.StyledRow("total", null, "total", Units.Flops(flops.Total), Units.Bytes(reads.Total), Units.Bytes(writes.Total));
        return table.ToString();
    }

    /// <summary>The roofline: operations, components, step and communication with intensity, bound, attainable FLOP/s and time.</summary>
    public static string Roofline(RooflineReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var table = new HtmlTable("roofline", ["", "FLOPs", "bytes", "FLOP/B", "bound", "attainable", "time"], 1, 2, 3, 5, 6);
        void Add(RooflineRow r, string? rowClass)
        {
            var comm = r.Bound == Bound.Communication;
            table.SwatchRow(Palette.Of(comm ? "tp" : r.Name), rowClass, r.Name, comm ? "-" : Units.Flops(r.Flops), Units.Bytes(r.Bytes),
                comm ? "-" : double.IsPositiveInfinity(r.ArithmeticIntensity) ? "inf" : Units.Significant(r.ArithmeticIntensity),
                r.Bound.ToString().ToLowerInvariant(), comm ? "-" : Units.FlopRate(r.AttainableFlopsPerSecond), Units.Seconds(r.Seconds));
        }

        foreach (var row in report.Operations)
        {
            Add(row, null);
        }

        foreach (var row in report.Components)
        {
            Add(row, "subtotal");
        }

        Add(report.Step, "total");
        if (report.Communication is { } comm)
        {
            Add(comm, null);
        }

        table.StyledRow("total", null, "estimated step time", string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, Units.Seconds(report.StepSeconds));
        return table.ToString();
    }

    /// <summary>A memory plan: weights by part, usable memory, KV cache, per-token KV bytes, capacity and fit.</summary>
    public static string MemoryPlan(MemoryPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var table = new HtmlTable("memory", ["per GPU", "bytes"], 1);
        foreach (var (part, bytes) in plan.Weights)
        {
            table.SwatchRow(Palette.Of(part == "embed" ? "unembed" : part), null, "weights: " + part, Units.Bytes(bytes));
        }

        table.StyledRow("subtotal", null, "weights", Units.Bytes(plan.WeightBytes))
            .Row($"usable ({(plan.Utilization * 100).ToString("F0", CultureInfo.InvariantCulture)} % of {Units.Bytes(plan.Gpu.MemoryBytes)})", Units.Bytes(plan.UsableBytes));
        if (plan.ReserveBytes > 0)
        {
            table.Row("reserve", Units.Bytes(plan.ReserveBytes));
        }

        table.Row("KV per token", Units.Bytes(plan.KvBytesPerToken));
        if (plan.Fits)
        {
            table.StyledRow("total", null, "KV cache", Units.Bytes(plan.KvCacheBytes))
                .Row("tokens that fit", plan.TokensThatFit.ToString("N0", CultureInfo.InvariantCulture));
            if (plan.ContextLength > 0)
            {
                table.Row($"sequences of {plan.ContextLength.ToString("N0", CultureInfo.InvariantCulture)} tokens", plan.SequencesThatFit.ToString("N0", CultureInfo.InvariantCulture));
            }
        }
        else
        {
            table.StyledRow("skipped", null, "does not fit", $"{Units.Bytes(plan.ShortfallBytes)} short");
        }

        return table.ToString();
    }

    /// <summary>Sweep rows: inputs, totals, intensity, bound, time, throughput, MFU and fit (invalid rows with their reason).</summary>
    public static string Sweep(IEnumerable<SweepRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var table = new HtmlTable("sweep", ["model", "gpu", "layout", "batch", "FLOPs", "bytes", "FLOP/B", "bound", "step", "tok/s", "MFU", "fits"], 4, 5, 6, 8, 9, 10);
        foreach (var r in rows)
        {
            var e = r.Config.Engine;
            var layout = $"TP{e.TensorParallel} PP{e.PipelineParallel} DP{e.DataParallel}{(e.EnableExpertParallel ? " EP" : string.Empty)}";
            if (r.Config.Error is { } error)
            {
                table.StyledRow("skipped", error, r.Config.Model, r.Config.Gpu, layout, r.Batch.ToString(), "invalid", string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, error);
                continue;
            }

            table.StyledRow(r.Fits ? null : "skipped", r.Error, r.Config.Model, r.Config.Gpu, layout, r.Batch.ToString(), Units.Flops(r.Estimate.Flops), Units.Bytes(r.Estimate.Bytes),
                Units.Significant(r.ArithmeticIntensity), r.Bound.ToString().ToLowerInvariant(), Units.Seconds(r.Seconds),
                Units.Si(r.TokensPerSecond, "tok/s"), (r.Mfu * 100).ToString("F1", CultureInfo.InvariantCulture) + " %", r.Fits ? "yes" : "no");
        }

        return table.ToString();
    }

    /// <summary>A GPU's datasheet figures and their source.</summary>
    public static string Gpu(GpuSpec gpu)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        var table = new HtmlTable("gpu", ["", ""]);
        table.Row("GPU", $"{gpu.Vendor} {gpu.Name}".Trim());
        foreach (var (dtype, peak) in gpu.PeakFlopsPerSecond.OrderBy(p => p.Key))
        {
            table.Row($"{dtype.ToString().ToLowerInvariant()} dense peak", Units.FlopRate(peak));
        }

        table.Row("memory", Units.Bytes(gpu.MemoryBytes))
            .Row("memory bandwidth", Units.Bandwidth(gpu.MemoryBytesPerSecond))
            .Row("interconnect", $"{gpu.Interconnect} {Units.Bandwidth(gpu.InterconnectBytesPerSecond)}")
            .Row("efficiency (FLOP/s, bandwidth)", $"{gpu.FlopsEfficiency.ToString("0.##", CultureInfo.InvariantCulture)}, {gpu.BandwidthEfficiency.ToString("0.##", CultureInfo.InvariantCulture)}")
            .Row("source", gpu.Source);
        return table.ToString();
    }

    /// <summary>A profiler config (vLLM's <c>--profiler-config</c>), its warning or error.</summary>
    public static string Profiler(ProfilerValidation validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        var table = new HtmlTable("profiler", ["field", "value"]);
        if (validation.Config is { } config)
        {
            foreach (var (key, value) in config.ToJson())
            {
                table.Row(key, value?.ToJsonString().Trim('"') ?? "null");
            }
        }

        if (validation.Warning)
        {
            table.StyledRow("skipped", null, "warning", ProfilerValidation.WarningText);
        }

        if (validation.Error is { } error)
        {
            table.StyledRow("skipped", null, "error", $"{error.Kind}: {error.Message}");
        }

        return table.ToString();
    }

    /// <summary>One line describing a batch, HTML-escaped.</summary>
    public static string BatchText(Batch ctx) => WebUtility.HtmlEncode(string.Create(CultureInfo.InvariantCulture,
        $"{ctx.PrefillRequests} prefill ({ctx.PrefillTokens:N0} tokens, context {ctx.PrefillContextLength:N0}), {ctx.DecodeRequests} decode (context {ctx.DecodeContextLength:N0})"));
}

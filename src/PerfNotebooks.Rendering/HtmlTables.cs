using System.Net;
using PerfNotebooks.Analysis;
using PerfNotebooks.Hardware;
using PerfNotebooks.Vllm;
using PerfNotebooks.Vllm.Profiling;

namespace PerfNotebooks.Rendering;

/// <summary>HTML tables for every result type: the one table model of <see cref="Tables"/> drawn by <see cref="HtmlTableRenderer"/>.</summary>
public static class HtmlTables
{
    /// <summary>The model: size, shape, layout, resolved dtype and quantization, and every skipped component with its reason.</summary>
    public static string ModelSummary(ModelSummary summary, ModelMetrics metrics) => HtmlTableRenderer.Render(Tables.ModelSummary(summary, metrics));

    /// <summary>The step breakdown: one row per term, component subtotals, the total; exact counts on hover.</summary>
    public static string Breakdown(Breakdown flops, Breakdown reads, Breakdown writes) => HtmlTableRenderer.Render(Tables.Breakdown(flops, reads, writes));

    /// <summary>The roofline: operations, components, step and communication, and the step time.</summary>
    public static string Roofline(RooflineReport report) => HtmlTableRenderer.Render(Tables.Roofline(report));

    /// <summary>A memory plan: weights by part, usable memory, KV cache, per-token KV bytes, capacity and fit.</summary>
    public static string MemoryPlan(MemoryPlan plan) => HtmlTableRenderer.Render(Tables.Memory(plan));

    /// <summary>Sweep rows (invalid and non-fitting rows with their reason).</summary>
    public static string Sweep(IEnumerable<SweepRow> rows) => HtmlTableRenderer.Render(Tables.Sweep(rows));

    /// <summary>A GPU's datasheet figures and their source.</summary>
    public static string Gpu(GpuSpec gpu) => HtmlTableRenderer.Render(Tables.Gpu(gpu));

    /// <summary>A profiler config (vLLM's <c>--profiler-config</c>), its warning or error.</summary>
    public static string Profiler(ProfilerValidation validation) => HtmlTableRenderer.Render(Tables.Profiler(validation));

    /// <summary>One line describing a batch (<see cref="Batch.ToString"/>), HTML-escaped.</summary>
    public static string BatchText(Batch ctx) => WebUtility.HtmlEncode(ctx.ToString());
}

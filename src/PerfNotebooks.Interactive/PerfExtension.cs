using Microsoft.DotNet.Interactive.Formatting;
using PerfNotebooks.Analysis;
using PerfNotebooks.Hardware;
using PerfNotebooks.Rendering.Figures;
using PerfNotebooks.Vllm.Profiling;
namespace PerfNotebooks.Interactive;

/// <summary>The notebook extension's entry point: formatters for every result type and a fresh <c>#!perf</c> session.</summary>
public static class PerfExtension
{
    /// <summary>
    /// Shown when the package loads, as HTML: extension.dib displays it with the kernel's <c>DisplayAs</c>, which
    /// passes it through (<c>Display</c> of a string would show the tags as escaped text).
    /// </summary>
    public const string WelcomeHtml =
        "<div><b>PerfNotebooks</b> loaded. <code>#!perf model llama-3.1-70b --tp 4</code>, then <code>#!perf step</code>, " +
        "<code>#!perf roofline</code>, <code>#!perf memory</code>, <code>#!perf sweep</code>; <code>#!perf help</code> lists everything. " +
        "Results are values too: <code>PerfMagic.Current.Run(\"step --prefill 2048\").Step</code>.</div>";

    /// <summary>
    /// Registers <c>text/html</c> and <c>text/plain</c> formatters (each HTML output self-contained) and the plotly mime
    /// type for a <see cref="Figure"/> value, and starts a fresh session.
    /// </summary>
    public static void Register()
    {
        PerfMagic.Reset();
        Both<MagicResult>();
        Both<PerfModel>();
        Both<ModelView>();
        Both<StepBreakdown>();
        Both<StepView>();
        Both<Breakdown>();
        Both<RooflineReport>();
        Both<MemoryPlan>();
        Both<Serving.ServeBenchmarkResult>();
        Both<Serving.PlannerResult>();
        Both<Measured.LogComparison>();
        Both<Measured.TraceComparison>();
        Both<Measured.BenchmarkComparison>();
        Both<Measured.ScrapeComparison>();
        Both<ModelSummary>();
        Both<GpuSpec>();
        Both<SweepView>();
        Both<IEnumerable<SweepRow>>();
        Both<ProfilerValidation>();
        Formatter.Register<HelpView>((v, w) => w.Write(NotebookHtml.Render(v)), "text/html");
        Formatter.Register<HelpView>((v, w) => w.Write(v.Text), "text/plain");
        Formatter.Register<Figure>((v, w) => w.Write(v.ToJson()), NotebookOutput.PlotlyMimeType);
        Formatter.Register<Figure>((v, w) => w.Write(NotebookHtml.Figure(v)), "text/html");
        Formatter.SetPreferredMimeTypesFor(typeof(Figure), NotebookOutput.PlotlyMimeType, "text/html");
    }

    /// <summary>HTML from the shared renderers and <c>text/plain</c> from the same table rows.</summary>
    private static void Both<T>()
        where T : notnull
    {
        Formatter.Register<T>((v, w) => w.Write(NotebookHtml.Render(v)), "text/html");
        Formatter.Register<T>((v, w) => w.Write(ValueTables.Text(v)), "text/plain");
    }
}

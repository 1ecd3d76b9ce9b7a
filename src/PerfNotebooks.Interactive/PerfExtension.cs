using Microsoft.DotNet.Interactive.Formatting;
using PerfNotebooks.Analysis;
using PerfNotebooks.Profiling;
using PerfNotebooks.Rendering.Figures;

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
        Formatter.Register<MagicResult>((v, w) => w.Write(NotebookHtml.Render(v.Value)), "text/html");
        Formatter.Register<ModelView>((v, w) => w.Write(NotebookHtml.Render(v)), "text/html");
        Formatter.Register<StepView>((v, w) => w.Write(NotebookHtml.Render(v)), "text/html");
        Formatter.Register<RooflineReport>((v, w) => w.Write(NotebookHtml.Render(v)), "text/html");
        Formatter.Register<MemoryPlan>((v, w) => w.Write(NotebookHtml.Render(v)), "text/html");
        Formatter.Register<SweepView>((v, w) => w.Write(NotebookHtml.Render(v)), "text/html");
        Formatter.Register<Serving.ServeBenchmarkResult>((v, w) => w.Write(NotebookHtml.Render(v)), "text/html");
        Formatter.Register<GpuSpec>((v, w) => w.Write(NotebookHtml.Render(v)), "text/html");
        Formatter.Register<ProfilerValidation>((v, w) => w.Write(NotebookHtml.Render(v)), "text/html");
        Formatter.Register<HelpView>((v, w) => w.Write(NotebookHtml.Render(v)), "text/html");
        Formatter.Register<Figure>((v, w) => w.Write(v.ToJson()), NotebookOutput.PlotlyMimeType);
        Formatter.Register<Figure>((v, w) => w.Write(NotebookHtml.Figure(v)), "text/html");
        Formatter.SetPreferredMimeTypesFor(typeof(Figure), NotebookOutput.PlotlyMimeType, "text/html");
        Formatter.Register<MagicResult>((v, w) => w.Write(PlainText.Of(v.Value)), "text/plain");
        Formatter.Register<ModelView>((v, w) => w.Write(PlainText.Model(v)), "text/plain");
        Formatter.Register<StepView>((v, w) => w.Write(PlainText.Step(v)), "text/plain");
        Formatter.Register<RooflineReport>((v, w) => w.Write(PlainText.Roofline(v)), "text/plain");
        Formatter.Register<MemoryPlan>((v, w) => w.Write(PlainText.Memory(v)), "text/plain");
        Formatter.Register<SweepView>((v, w) => w.Write(PlainText.Sweep(v)), "text/plain");
        Formatter.Register<GpuSpec>((v, w) => w.Write(v.ToString()), "text/plain");
        Formatter.Register<HelpView>((v, w) => w.Write(v.Text), "text/plain");
    }
}

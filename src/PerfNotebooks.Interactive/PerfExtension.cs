using Microsoft.DotNet.Interactive.Formatting;
using PerfNotebooks.Analysis;
using PerfNotebooks.Profiling;

namespace PerfNotebooks.Interactive;

/// <summary>The notebook extension's entry point: formatters for every result type and a fresh <c>#!perf</c> session.</summary>
public static class PerfExtension
{
    /// <summary>The HTML renderer of this session.</summary>
    public static NotebookHtml Html { get; private set; } = new();

    /// <summary>Shown when the package loads.</summary>
    public const string WelcomeHtml =
        "<div><b>PerfNotebooks</b> loaded. <code>#!perf model llama-3.1-70b --tp 4</code>, then <code>#!perf step</code>, " +
        "<code>#!perf roofline</code>, <code>#!perf memory</code>, <code>#!perf sweep</code>; <code>#!perf help</code> lists everything. " +
        "Results are values too: <code>PerfMagic.Current.Run(\"step\", …)</code>.</div>";

    /// <summary>Registers <c>text/html</c> and <c>text/plain</c> formatters and starts a fresh session.</summary>
    public static void Register()
    {
        Html = new NotebookHtml();
        PerfMagic.Reset();
        Formatter.Register<ModelView>((v, w) => w.Write(Html.Model(v)), "text/html");
        Formatter.Register<StepView>((v, w) => w.Write(Html.Step(v)), "text/html");
        Formatter.Register<RooflineReport>((v, w) => w.Write(Html.Roofline(v)), "text/html");
        Formatter.Register<MemoryPlan>((v, w) => w.Write(Html.Memory(v)), "text/html");
        Formatter.Register<SweepView>((v, w) => w.Write(Html.Sweep(v)), "text/html");
        Formatter.Register<GpuSpec>((v, w) => w.Write(Html.Gpu(v)), "text/html");
        Formatter.Register<ProfilerValidation>((v, w) => w.Write(Html.Profiler(v)), "text/html");
        Formatter.Register<HelpView>((v, w) => w.Write(Html.Help(v)), "text/html");
        Formatter.Register<ModelView>((v, w) => w.Write(PlainText.Model(v)), "text/plain");
        Formatter.Register<StepView>((v, w) => w.Write(PlainText.Step(v)), "text/plain");
        Formatter.Register<RooflineReport>((v, w) => w.Write(PlainText.Roofline(v)), "text/plain");
        Formatter.Register<MemoryPlan>((v, w) => w.Write(PlainText.Memory(v)), "text/plain");
        Formatter.Register<SweepView>((v, w) => w.Write(PlainText.Sweep(v)), "text/plain");
        Formatter.Register<GpuSpec>((v, w) => w.Write(v.ToString()), "text/plain");
        Formatter.Register<HelpView>((v, w) => w.Write(v.Text), "text/plain");
    }
}

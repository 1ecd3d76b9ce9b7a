using System.Globalization;
using System.Net;
using System.Text;
using PerfNotebooks.Analysis;
using PerfNotebooks.Execution;
using PerfNotebooks.Profiling;
using PerfNotebooks.Rendering;
using PerfNotebooks.Rendering.Figures;

namespace PerfNotebooks.Interactive;

/// <summary>
/// Notebook HTML for every result type, drawn by the shared renderers. plotly.js is inlined (offline) into the first
/// output with a chart and guarded so later outputs, and a reloaded page, load it at most once.
/// </summary>
public sealed class NotebookHtml
{
    private int _figures;
    private bool _plotlySent;

    /// <summary>The page's CSS is sent with the first output.</summary>
    private bool _cssSent;

    /// <summary>HTML for a model view: its summary table and skipped components.</summary>
    public string Model(ModelView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return Wrap(HtmlTables.ModelSummary(view.Summary, view.Metrics));
    }

    /// <summary>HTML for a step: the three breakdown charts and the table.</summary>
    public string Step(StepView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var scope = view.Scope;
        return Wrap("<p>" + WebUtility.HtmlEncode(view.Name) + ": " + HtmlTables.BatchText(view.Batch) + "</p><div class=\"grid\">" +
                    Figure(PerfCharts.Breakdown(view.Flops, Metric.Flops, scope)) + Figure(PerfCharts.Breakdown(view.ReadBytes, Metric.ReadBytes, scope)) +
                    Figure(PerfCharts.Breakdown(view.WriteBytes, Metric.WriteBytes, scope)) + "</div>" + HtmlTables.Breakdown(view.Flops, view.ReadBytes, view.WriteBytes));
    }

    /// <summary>HTML for a roofline: the chart and the table.</summary>
    public string Roofline(RooflineReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Wrap(Figure(PerfCharts.Roofline(report)) + HtmlTables.Roofline(report));
    }

    /// <summary>HTML for a memory plan: the table and the stacked bar.</summary>
    public string Memory(MemoryPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return Wrap(HtmlTables.MemoryPlan(plan) + Figure(PerfCharts.MemoryPlans([(plan.Gpu.Name, plan)])));
    }

    /// <summary>HTML for a sweep: throughput and step-time lines, the MFU heatmap, and the first 200 rows.</summary>
    public string Sweep(SweepView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var fitting = view.Rows.Where(r => r.Fits).ToList();
        return Wrap("<div class=\"grid\">" +
                    Figure(PerfCharts.SweepLines(fitting, "decode_batch", r => r.OutputTokensPerSecondPerGpu, "output tokens/s per GPU (tok/s)")) +
                    Figure(PerfCharts.SweepLines(fitting, "decode_batch", r => r.Seconds, "step time (s)")) + "</div>" +
                    Figure(PerfCharts.SweepHeatmap(fitting, "decode_batch", "decode_context", r => r.Mfu * 100, "MFU (%)")) +
                    HtmlTables.Sweep(view.Rows.Take(200)) +
                    (view.Rows.Length > 200 ? $"<p class=\"note\">first 200 of {view.Rows.Length.ToString("N0", CultureInfo.InvariantCulture)} rows</p>" : string.Empty));
    }

    /// <summary>HTML for a GPU.</summary>
    public string Gpu(GpuSpec gpu) => Wrap(HtmlTables.Gpu(gpu));

    /// <summary>HTML for a profiler config validation.</summary>
    public string Profiler(ProfilerValidation validation) => Wrap(HtmlTables.Profiler(validation));

    /// <summary>HTML for help text.</summary>
    public string Help(HelpView help)
    {
        ArgumentNullException.ThrowIfNull(help);
        return Wrap("<pre>" + WebUtility.HtmlEncode(help.Text) + "</pre>");
    }

    /// <summary>A figure's div and script; the first one of the session carries plotly.js.</summary>
    public string Figure(Figure figure)
    {
        var html = new StringBuilder();
        if (!_plotlySent)
        {
            // Guarded: a page that already has plotly.js (an earlier output, a reload) does not evaluate it again.
            html.Append("<script>if(typeof window.Plotly==='undefined'){").Append(PlotlyJs.Script.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase)).Append("}</script>");
            _plotlySent = true;
        }

        var id = "perfnb-" + Guid.NewGuid().ToString("N")[..8] + "-" + (++_figures).ToString(CultureInfo.InvariantCulture);
        return html.Append(FigureHtml.Render(figure, id)).ToString();
    }

    private string Wrap(string body)
    {
        var css = _cssSent ? string.Empty : "<style>" + ReportHtml.Css.Replace("body{", ".perfnb-out{", StringComparison.Ordinal) + "</style>";
        _cssSent = true;
        return css + "<div class=\"perfnb-out\">" + body + "</div>";
    }
}

using System.Collections.Immutable;
using System.Net;
using PerfNotebooks.Analysis;
using PerfNotebooks.Hardware;
using PerfNotebooks.Rendering;
using PerfNotebooks.Rendering.Figures;
using PerfNotebooks.Vllm.Profiling;
namespace PerfNotebooks.Interactive;

/// <summary>
/// Notebook outputs for every result type, drawn by the shared renderers. Each output stands alone: it carries its
/// own small stylesheet, scoped to <c>.perfnb-out</c> so the notebook's own headings keep their style, and each chart
/// is its own output with the plotly mime type, so a re-run, a reopened notebook or a cleared neighbour changes
/// nothing and no output carries the 5 MB plotly.js.
/// </summary>
public static class NotebookHtml
{
    /// <summary>The stylesheet each output carries; every selector is under <c>.perfnb-out</c>.</summary>
    public const string Css =
        ".perfnb-out{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#222}" +
        ".perfnb-out table.perfnb{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}" +
        ".perfnb-out table.perfnb th,.perfnb-out table.perfnb td{padding:.2rem .6rem;border-bottom:1px solid #eee;text-align:left}" +
        ".perfnb-out table.perfnb .num{text-align:right;font-variant-numeric:tabular-nums}" +
        ".perfnb-out table.perfnb tr.subtotal td{font-weight:600;background:#fafafa}" +
        ".perfnb-out table.perfnb tr.total td{font-weight:700;border-top:2px solid #999}" +
        ".perfnb-out table.perfnb tr.skipped td{color:#a33}" +
        ".perfnb-out .swatch{display:inline-block;width:.7rem;height:.7rem;margin-right:.4rem;border-radius:2px;vertical-align:middle}" +
        ".perfnb-out .note{color:#666;font-size:.85rem}" +
        ".perfnb-out .figure{min-height:2rem}";

    /// <summary>The outputs of a <c>#!perf</c> result, in display order: text and tables as HTML, each chart on its own.</summary>
    public static ImmutableArray<NotebookOutput> Outputs(object result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result switch
        {
            MagicResult magic => Outputs(magic.Value),
            ModelView view => [Html(HtmlTableRenderer.Render(Tables.ModelSummary(view.Summary, view.Metrics)))],
            PerfModel model => [Html(Paragraph(model.ToString()) + HtmlTableRenderer.Render(Tables.ModelSummary(model.Summary, model.Metrics)))],
            StepBreakdown step =>
            [
                Html(Paragraph(step.ToString().Split('\n')[0])),
                Chart(PerfCharts.Breakdown(step.Flops, Metric.Flops, step.Scope)),
                Chart(PerfCharts.Breakdown(step.ReadBytes, Metric.ReadBytes, step.Scope)),
                Chart(PerfCharts.Breakdown(step.WriteBytes, Metric.WriteBytes, step.Scope)),
                Html(HtmlTableRenderer.Render(Tables.Breakdown(step.Flops, step.ReadBytes, step.WriteBytes))),
            ],
            Breakdown or ModelSummary => [Html(string.Concat(ValueTables.Of(result).Select(HtmlTableRenderer.Render)))],
            IEnumerable<SweepRow> rows => Outputs(new SweepView([.. rows])),
            StepView view =>
            [
                Html(Paragraph(view.Name + ": ") + WebUtility.HtmlEncode(view.Batch.ToString())),
                Chart(PerfCharts.Breakdown(view.Flops, Metric.Flops, view.Scope)),
                Chart(PerfCharts.Breakdown(view.ReadBytes, Metric.ReadBytes, view.Scope)),
                Chart(PerfCharts.Breakdown(view.WriteBytes, Metric.WriteBytes, view.Scope)),
                Html(HtmlTableRenderer.Render(Tables.Breakdown(view.Flops, view.ReadBytes, view.WriteBytes))),
            ],
            RooflineReport report => [Chart(PerfCharts.Roofline(report)), Html(HtmlTableRenderer.Render(Tables.Roofline(report)))],
            MemoryPlan plan => [Html(HtmlTableRenderer.Render(Tables.Memory(plan))), Chart(PerfCharts.MemoryPlans([(plan.Gpu.Name, plan)]))],
            SweepView view => [.. SweepCharts(view).Select(Chart), Html(SweepTable(view))],
            GpuSpec gpu => [Html(HtmlTableRenderer.Render(Tables.Gpu(gpu)))],
            Serving.ServeBenchmarkResult serve => serve.Fits
                ? [Html(Paragraph(serve.ToString()) + HtmlTableRenderer.Render(Tables.Serve(serve))), Chart(PerfCharts.ServeTimeline(serve)), Html(HtmlTableRenderer.Render(Tables.ServeTimeline(serve)))]
                : [Html(Paragraph(serve.ToString()) + HtmlTableRenderer.Render(Tables.Serve(serve)))],
            ProfilerValidation validation => [Html(HtmlTableRenderer.Render(Tables.Profiler(validation)))],
            Measured.IMeasuredComparison comparison =>
            [
                Html(Paragraph(Tables.MeasuredHeading(comparison))),
                .. PerfCharts.Measured(comparison).Select(Chart),
                Html(string.Concat(Tables.Measured(comparison).Select(HtmlTableRenderer.Render))),
            ],
            HelpView help => [Html("<pre>" + WebUtility.HtmlEncode(help.Text) + "</pre>")],
            _ => [Html(Paragraph(result.ToString() ?? string.Empty))],
        };
    }

    /// <summary>All of a result's outputs as one HTML fragment (what a C# cell's returned value shows).</summary>
    public static string Render(object result) => string.Concat(Outputs(result).Select(o => o.Html));

    /// <summary>
    /// A figure's HTML: a static inline SVG drawn from the figure model, so the chart shows without JavaScript or
    /// network (an nbconvert export, a static viewer, an emailed file), replaced by the interactive plotly.js figure
    /// where the page has plotly.js; the plotly mime type beside it is what notebook front ends draw natively.
    /// </summary>
    public static string Figure(Figure figure)
    {
        ArgumentNullException.ThrowIfNull(figure);
        var id = "perfnb-" + Guid.NewGuid().ToString("N")[..12];
        var json = figure.ToJson().Replace("</", "<\\/", StringComparison.Ordinal);
        return Wrap($"<div class=\"figure\" id=\"{id}\">{FigureSvg.Render(figure)}</div>" +
                    $"<script>(function(){{if(typeof window.Plotly==='undefined'){{return;}}var f={json};" +
                    $"document.getElementById('{id}').innerHTML='';Plotly.newPlot('{id}',f.data,f.layout,{{responsive:true,displaylogo:false}});}})();</script>");
    }

    private static NotebookOutput Html(string body) => new(Wrap(body));

    private static NotebookOutput Chart(Figure figure) => new(Figure(figure), figure);

    private static string Wrap(string body) => "<div class=\"perfnb-out\"><style>" + Css + "</style>" + body + "</div>";

    private static string Paragraph(string text) => "<p>" + WebUtility.HtmlEncode(text) + "</p>";

    private static IEnumerable<Figure> SweepCharts(SweepView view)
    {
        var fitting = view.Rows.Where(r => r.Fits).ToList();
        yield return PerfCharts.SweepLines(fitting, "decode_batch", r => r.OutputTokensPerSecondPerGpu, "output tokens/s per GPU (tok/s)");
        yield return PerfCharts.SweepLines(fitting, "decode_batch", r => r.Seconds, "step time (s)");
        yield return PerfCharts.SweepHeatmap(fitting, "decode_batch", "decode_context", r => r.Mfu * 100, "MFU (%)");
    }

    private static string SweepTable(SweepView view) => HtmlTableRenderer.Render(ValueTables.Of(view).Single());
}

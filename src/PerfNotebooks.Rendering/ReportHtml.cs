using System.Globalization;
using System.Net;
using System.Text;
using PerfNotebooks.Analysis;
using PerfNotebooks.Models;
using PerfNotebooks.Rendering.Figures;

namespace PerfNotebooks.Rendering;

/// <summary>A self-contained HTML report (plotly.js inlined, no network needed to view it).</summary>
public static class ReportHtml
{
    /// <summary>The report's CSS, shared with notebook output.</summary>
    public const string Css = """
        body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1200px;color:#222;padding:0 1rem}
        h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.25rem}
        table.perfnb{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}
        table.perfnb th,table.perfnb td{padding:.2rem .6rem;border-bottom:1px solid #eee;text-align:left}
        table.perfnb .num{text-align:right;font-variant-numeric:tabular-nums}
        table.perfnb tr.subtotal td{font-weight:600;background:#fafafa}
        table.perfnb tr.total td{font-weight:700;border-top:2px solid #999}
        table.perfnb tr.skipped td{color:#a33}
        .swatch{display:inline-block;width:.7rem;height:.7rem;margin-right:.4rem;border-radius:2px;vertical-align:middle}
        .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(360px,1fr));gap:1rem}.grid>*{min-width:0}
        .note{color:#666;font-size:.85rem}
        """;

    /// <summary>Renders the report; figures are numbered <c>fig-1</c>, <c>fig-2</c>, … in document order.</summary>
    public static string Render(Report report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder(capacity: PlotlyJs.Script.Length + 200_000);
        var figures = 0;
        string Plot(Figure figure) => FigureHtml.Render(figure, "fig-" + (++figures).ToString(CultureInfo.InvariantCulture));
        var metrics = report.Metrics;
        var engine = metrics.Source.Engine;
        var title = $"{report.ModelName} on {report.Gpu.Name}";
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(Encode(title)).Append(" | PerfNotebooks</title>\n<style>")
            .Append(Css).Append("</style>\n").Append(PlotlyJs.InlineTag()).Append("\n</head><body>\n");
        html.Append("<h1>").Append(Encode(title)).Append("</h1>\n<p>")
            .Append(Encode($"{engine.Layout}, {metrics.Source.Dtype.VllmName()}, KV cache {engine.KvCacheDtype}; step: "))
            .Append(WebUtility.HtmlEncode(report.Batch.ToString())).Append(". Counts are per GPU, from vLLM's analytic perf model.</p>\n");

        html.Append("<h2>Model</h2>\n").Append(HtmlTableRenderer.Render(Tables.ModelSummary(ModelSummary.Of(report.ModelName, metrics.Source), metrics))).Append('\n');

        var flops = metrics.Flops(report.Batch);
        var reads = metrics.ReadBytes(report.Batch);
        var writes = metrics.WriteBytes(report.Batch);
        html.Append("<h2>Step breakdown</h2>\n<div class=\"grid\">")
            .Append(Plot(PerfCharts.Breakdown(flops, Metric.Flops, Scope.PerGpu)))
            .Append(Plot(PerfCharts.Breakdown(reads, Metric.ReadBytes, Scope.PerGpu)))
            .Append(Plot(PerfCharts.Breakdown(writes, Metric.WriteBytes, Scope.PerGpu)))
            .Append("</div>\n").Append(HtmlTableRenderer.Render(Tables.Breakdown(flops, reads, writes))).Append('\n');

        var roofline = report.Roofline;
        html.Append("<h2>Roofline</h2>\n<p>").Append(Encode(
                $"{roofline.Dtype.ToString().ToLowerInvariant()} peak {Units.FlopRate(roofline.PeakFlopsPerSecond)}, {Units.Bandwidth(roofline.BytesPerSecond)}, " +
                $"ridge {Units.Significant(roofline.Ridge)} FLOP/B. Estimated step time {Units.Seconds(roofline.StepSeconds)} (kernels in sequence" +
                (roofline.Communication is null ? string.Empty : " plus the TP all-reduce") + $"); lower bound {Units.Seconds(roofline.Step.Seconds)}."))
            .Append("</p>\n").Append(Plot(PerfCharts.Roofline(roofline))).Append(HtmlTableRenderer.Render(Tables.Roofline(roofline))).Append('\n');

        html.Append("<h2>Memory per GPU</h2>\n");
        if (!report.MemoryPlans.IsEmpty)
        {
            html.Append(HtmlTableRenderer.Render(Tables.Memory(report.MemoryPlans[0].Plan))).Append(Plot(PerfCharts.MemoryPlans(report.MemoryPlans)));
        }

        if (report.Serve is { } serve)
        {
            html.Append("\n<h2>Serving</h2>\n<p>").Append(Encode(
                    $"{serve.Benchmark.Client}, simulated step by step on vLLM's V1 scheduler ({Tables.Layout(serve.Benchmark.Source.Engine)} per replica): " +
                    "what vllm bench serve would print, expected beside the roofline bound, and the engine over time."))
                .Append("</p>\n").Append(HtmlTableRenderer.Render(Tables.Serve(serve)));
            if (serve.Fits)
            {
                html.Append(Plot(PerfCharts.ServeTimeline(serve))).Append(HtmlTableRenderer.Render(Tables.ServeTimeline(serve)));
            }

            html.Append('\n');
        }

        if (!report.Sweep.IsEmpty)
        {
            var rows = report.Sweep;
            html.Append("\n<h2>Sweep</h2>\n<p>").Append(Encode($"{rows.Length:N0} points; invalid or non-fitting points are listed with the reason and left out of the charts.")).Append("</p>\n<div class=\"grid\">")
                .Append(Plot(PerfCharts.SweepLines(rows.Where(r => r.Fits), "decode_batch", r => r.OutputTokensPerSecondPerGpu, Tables.OutputTokensPerGpu)))
                .Append(Plot(PerfCharts.SweepLines(rows.Where(r => r.Fits), "decode_batch", r => r.Seconds, "step time (s)")))
                .Append("</div>\n")
                .Append(Plot(PerfCharts.SweepHeatmap(rows.Where(r => r.Fits), "decode_batch", "decode_context", r => r.Mfu * 100, "MFU (%)")))
                .Append(HtmlTableRenderer.Render(Tables.Sweep(rows.Take(500)))).Append('\n');
            if (rows.Length > 500)
            {
                html.Append("<p class=\"note\">").Append(Encode($"first 500 of {rows.Length:N0} rows; perfnb sweep --csv writes them all")).Append("</p>\n");
            }
        }

        if (report.Measured is { } measured)
        {
            html.Append("\n<h2>Measured beside predicted</h2>\n<p>").Append(Encode(Tables.MeasuredHeading(measured)))
                .Append(". Each measured figure is shown beside the physical book's expected time and roofline bound of the same work.</p>\n");
            foreach (var figure in PerfCharts.Measured(measured))
            {
                html.Append(Plot(figure));
            }

            foreach (var table in Tables.Measured(measured))
            {
                html.Append(HtmlTableRenderer.Render(table)).Append('\n');
            }
        }

        html.Append("<h2>GPU</h2>\n").Append(HtmlTableRenderer.Render(Tables.Gpu(report.Gpu)))
            .Append("\n<p class=\"note\">Generated by PerfNotebooks with plotly.js ").Append(PlotlyJs.Version).Append(" inlined; opens offline.</p>\n</body></html>\n");
        return html.ToString();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}

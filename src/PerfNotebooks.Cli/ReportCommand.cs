using System.CommandLine;
using System.Globalization;
using PerfNotebooks.Analysis;
using PerfNotebooks.Measured;
using PerfNotebooks.Rendering;
using PerfNotebooks.Requests;
using PerfNotebooks.Serving;
namespace PerfNotebooks.Cli;

/// <summary><c>perfnb report</c>: one self-contained HTML file with the model, breakdown, roofline, memory, a serving
/// benchmark and the sweep.</summary>
internal static class ReportCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var command = new Command("report", "write a self-contained HTML report (tables and interactive charts, opens offline); with --log, --metrics, --bench or --trace, " +
                                            "a section with what was measured beside the prediction");
        command.Arguments.Add(CliOptions.Model);
        CliCommands.AddAll(command, CliOptions.Engine, CliOptions.Gpu, CliOptions.Batch, CliOptions.Serve,
            [CliOptions.NoServe, CliOptions.SweepBatch, CliOptions.SweepContext, CliOptions.NoSweep, CliOptions.Output],
            [.. RequestOptions.MeasuredGroup.Select(CliOptions.Of), CliOptions.Of(RequestOptions.DecodeContext)]);
        CliCommands.SetAction(command, Run);
        return command;
    }

    private static int Run(ParseResult parse, Terminal terminal)
    {
        var values = CliOptions.Values(parse);
        var name = parse.GetValue(CliOptions.Model)!;
        var engine = RequestOptions.ReadEngine(values);
        var model = PerfModel.Load(name, engine);
        var gpu = RequestOptions.ReadGpu(values);
        var (batch, _) = CliCommands.Batch(values);
        SweepSpec? sweep = null;
        if (!parse.GetValue(CliOptions.NoSweep))
        {
            var gpuName = parse.GetResult(CliOptions.GpuName) is { Implicit: false } r ? r.Tokens[^1].Value : GpuChoice.DefaultName;
            sweep = (SweepGrid.For(name, engine, gpuName) with
            {
                DecodeBatches = parse.GetValue(CliOptions.SweepBatch),
                Contexts = parse.GetValue(CliOptions.SweepContext),
            }).ToSpec(gpu.ApplyEfficiency);
        }

        ServeBenchmarkResult? serve = null;
        if (!parse.GetValue(CliOptions.NoServe))
        {
            try
            {
                serve = model.Serve(values, gpu.Gpu);
            }
            catch (ArgumentException e) when (e is not ArgumentOutOfRangeException)
            {
                throw new CliException("perfnb report: " + e.Message);
            }
        }

        IMeasuredComparison? measured = null;
        if (RequestOptions.HasMeasured(values))
        {
            try
            {
                measured = model.Measured(values, gpu.Gpu);
            }
            catch (ArgumentException e)
            {
                throw new CliException("perfnb report: " + e.Message);
            }
        }

        var path = parse.GetValue(CliOptions.Output) ?? "report.html";
        var decodeContext = batch.DecodeRequests > 0 ? batch.DecodeContextLength / batch.DecodeRequests : 0;
        var report = Report.Build(model, batch, gpu.Gpu, sweep, decodeContext, gpu.ComputeDtype) with { Serve = serve, Measured = measured };
        var html = ReportHtml.Render(report);
        File.WriteAllText(path, html);
        terminal.Line(string.Create(CultureInfo.InvariantCulture, $"wrote {path} ({html.Length / 1e6:F1} MB, plotly.js inlined; opens offline)"));
        return 0;
    }
}

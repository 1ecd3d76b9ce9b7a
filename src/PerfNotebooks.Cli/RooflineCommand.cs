using System.CommandLine;
using System.Text.Json;
using PerfNotebooks.Analysis;
using PerfNotebooks.Rendering;
using PerfNotebooks.Requests;
using PerfNotebooks.Vllm.Interop;
namespace PerfNotebooks.Cli;

/// <summary><c>perfnb roofline</c>: a step's roofline on a GPU, per operation, component and step.</summary>
internal static class RooflineCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var command = new Command("roofline", "roofline of one step on a GPU: intensity, bound, attainable FLOP/s and time per operation");
        command.Arguments.Add(CliOptions.Model);
        CliCommands.AddAll(command, CliOptions.Engine, CliOptions.Gpu, CliOptions.Batch, [CliOptions.Of(RequestOptions.Calibration), CliOptions.Terms, CliOptions.Json]);
        CliCommands.SetAction(command, Run);
        return command;
    }

    private static int Run(ParseResult parse, Terminal terminal)
    {
        var values = CliOptions.Values(parse);
        var name = parse.GetValue(CliOptions.Model)!;
        var model = PerfModel.Load(name, RequestOptions.ReadEngine(values));
        var gpu = RequestOptions.ReadGpu(values);
        var (batch, isDefault) = CliCommands.Batch(values);
        var report = model.Roofline(batch, gpu, RequestOptions.ReadTimer(values, gpu.Gpu));
        if (parse.GetValue(CliOptions.Json))
        {
            CliJson.Write(terminal.Output, w =>
            {
                w.WriteStartObject();
                w.WriteString("model", name);
                w.WriteString("gpu", gpu.Gpu.Name);
                w.WriteString("compute_dtype", report.Dtype.ToString().ToLowerInvariant());
                w.WriteBoolean("applied_efficiency", report.AppliedEfficiency);
                CliJson.Real(w, "ridge_flop_per_byte", report.Ridge);
                CliJson.Real(w, "step_seconds", report.StepSeconds);
                CliJson.Real(w, "lower_bound_seconds", report.Step.Seconds);
                foreach (var (key, rows) in new[] { ("operations", report.Operations), ("components", report.Components) })
                {
                    w.WriteStartArray(key);
                    foreach (var row in rows)
                    {
                        Row(w, row);
                    }

                    w.WriteEndArray();
                }

                w.WritePropertyName("step");
                Row(w, report.Step);
                w.WritePropertyName("communication");
                if (report.Communication is { } comm)
                {
                    Row(w, comm);
                }
                else
                {
                    w.WriteNullValue();
                }

                w.WriteEndObject();
            });
            return 0;
        }

        terminal.Line($"{name} on {gpu.Gpu.Name} | {report.Dtype.ToString().ToLowerInvariant()} peak {Units.FlopRate(report.PeakFlopsPerSecond)}, " +
                      $"{Units.Bandwidth(report.BytesPerSecond)} | ridge {Units.Significant(report.Ridge)} FLOP/B{(report.AppliedEfficiency ? " | with stated efficiencies" : string.Empty)}");
        terminal.Line(CliCommands.BatchLine(batch, isDefault));
        terminal.Line();
        terminal.Table(Tables.Roofline(report));
        if (parse.GetValue(CliOptions.Terms))
        {
            terminal.Line();
            terminal.Table(Tables.RooflineTerms(report));
        }

        return 0;
    }

    private static void Row(Utf8JsonWriter w, RooflineRow r)
    {
        w.WriteStartObject();
        w.WriteString("name", r.Name);
        ExactJson.WriteInt(w, "flops", r.Flops);
        ExactJson.WriteInt(w, "bytes", r.Bytes);
        CliJson.Real(w, "intensity_flop_per_byte", r.ArithmeticIntensity);
        w.WriteString("bound", r.Bound.ToString().ToLowerInvariant());
        CliJson.Real(w, "attainable_flops_per_second", r.AttainableFlopsPerSecond);
        CliJson.Real(w, "seconds", r.Seconds);
        w.WriteEndObject();
    }
}

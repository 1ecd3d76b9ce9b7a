using System.CommandLine;
using PerfNotebooks.Models;
using PerfNotebooks.Rendering;
using PerfNotebooks.Requests;
using PerfNotebooks.Vllm.Interop;
namespace PerfNotebooks.Cli;

/// <summary><c>perfnb step</c>: the breakdown of one step.</summary>
internal static class StepCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var command = new Command("step", "FLOPs, read and write bytes of one step, per component and term");
        command.Arguments.Add(CliOptions.Model);
        CliCommands.AddAll(command, CliOptions.Engine, CliOptions.Batch, [CliOptions.Total, CliOptions.Exact, CliOptions.Json, CliOptions.VllmExports, CliOptions.ElapsedSeconds]);
        CliCommands.SetAction(command, Run);
        return command;
    }

    private static int Run(ParseResult parse, Terminal terminal)
    {
        var values = CliOptions.Values(parse);
        var name = parse.GetValue(CliOptions.Model)!;
        var model = PerfModel.Load(name, RequestOptions.ReadEngine(values));
        var (batch, isDefault) = CliCommands.Batch(values);
        var scope = parse.GetValue(CliOptions.Total) ? Scope.WholeModel : Scope.PerGpu;
        var step = model.Step(batch, scope);
        if (parse.GetValue(CliOptions.Json))
        {
            CliJson.Write(terminal.Output, w =>
            {
                w.WriteStartObject();
                w.WriteString("model", name);
                w.WriteString("scope", scope == Scope.PerGpu ? "per_gpu" : "whole_model");
                foreach (var (key, breakdown) in new[] { ("flops", step.Flops), ("read_bytes", step.ReadBytes), ("write_bytes", step.WriteBytes) })
                {
                    ExactJson.WriteBreakdown(w, key, breakdown);
                    ExactJson.WriteInt(w, "total_" + key, breakdown.Total);
                }

                w.WriteStartObject("skipped");
                foreach (var skipped in model.Skipped)
                {
                    w.WriteString(skipped.Name, $"{skipped.ReasonName}: {skipped.Detail}");
                }

                w.WriteEndObject();
                w.WriteEndObject();
            });
            return 0;
        }

        var e = model.Engine;
        terminal.Line($"{name} | {model.Source.Dtype.VllmName()}{(model.Source.QuantMethod is { } q ? " " + q : string.Empty)} | {Tables.Layout(e)} | " +
                      (scope == Scope.PerGpu ? "per GPU" : "whole model"));
        terminal.Line(CliCommands.BatchLine(batch, isDefault));
        terminal.Line();
        terminal.Table(Tables.Breakdown(step.Flops, step.ReadBytes, step.WriteBytes), parse.GetValue(CliOptions.Exact));
        foreach (var skipped in model.Skipped)
        {
            terminal.Line($"skipped {skipped.Name}: {skipped.ReasonName} ({skipped.Detail})");
        }

        if (parse.GetValue(CliOptions.VllmExports))
        {
            WriteExports(terminal, model, batch, name, parse.GetValue(CliOptions.ElapsedSeconds));
        }

        return 0;
    }

    private static void WriteExports(Terminal terminal, PerfModel model, Batch batch, string name, double elapsedSeconds)
    {
        var exports = model.Exports([batch], elapsedSeconds);
        terminal.Line();
        terminal.Line(FormattableString.Invariant($"vLLM {exports.Revision} would log (per GPU, this step over --elapsed-s {elapsedSeconds} s):"));
        terminal.Line(exports.MfuLogLine ?? "(nothing: every total is 0)");
        terminal.Line(exports.HasCounters ? "Prometheus counters (/metrics):" : $"vLLM {exports.Revision} exports no perf counters");
        foreach (var line in exports.PrometheusText.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            terminal.Line(line);
        }
    }
}

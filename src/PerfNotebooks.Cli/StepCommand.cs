using System.CommandLine;
using PerfNotebooks.Models;
using PerfNotebooks.Rendering;
using PerfNotebooks.Requests;
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
            CliJson.Write(terminal.Output, new StepJson(
                name, scope == Scope.PerGpu ? "per_gpu" : "whole_model",
                CliJson.Terms(step.Flops), step.Flops.Total, CliJson.Terms(step.ReadBytes), step.ReadBytes.Total, CliJson.Terms(step.WriteBytes), step.WriteBytes.Total,
                model.Skipped.ToDictionary(s => s.Name, s => $"{s.ReasonName}: {s.Detail}")), CliJsonContext.Default.StepJson);
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

    /// <summary><c>perfnb step --json</c>: every term's exact count by qualified name, the totals, and why components were skipped.</summary>
    internal sealed record StepJson(
        string Model, string Scope, Dictionary<string, Int128> Flops, Int128 TotalFlops, Dictionary<string, Int128> ReadBytes, Int128 TotalReadBytes,
        Dictionary<string, Int128> WriteBytes, Int128 TotalWriteBytes, Dictionary<string, string> Skipped);
}

using System.CommandLine;
using System.Text.Json.Serialization;
using PerfNotebooks.Analysis;
using PerfNotebooks.Rendering;
using PerfNotebooks.Requests;
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
            CliJson.Write(terminal.Output, new RooflineJson(
                name, gpu.Gpu.Name, report.Dtype.ToString().ToLowerInvariant(), report.AppliedEfficiency, report.Ridge, report.StepSeconds, report.Step.Seconds,
                [.. report.Operations.Select(Row)], [.. report.Components.Select(Row)], Row(report.Step), report.Communication is { } comm ? Row(comm) : null),
                CliJsonContext.Default.RooflineJson);
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

    private static RooflineRowJson Row(RooflineRow r) => new(
        r.Name, r.Flops, r.Bytes, r.ArithmeticIntensity, r.Bound.ToString().ToLowerInvariant(), r.AttainableFlopsPerSecond, r.Seconds);

    /// <summary><c>perfnb roofline --json</c>: the step's roofline per operation and component, exact FLOPs and bytes.</summary>
    internal sealed record RooflineJson(
        string Model, string Gpu, string ComputeDtype, bool AppliedEfficiency, double RidgeFlopPerByte, double StepSeconds, double LowerBoundSeconds,
        IReadOnlyList<RooflineRowJson> Operations, IReadOnlyList<RooflineRowJson> Components, RooflineRowJson Step,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] RooflineRowJson? Communication);

    /// <summary>One roofline row.</summary>
    internal sealed record RooflineRowJson(
        string Name, Int128 Flops, Int128 Bytes, double IntensityFlopPerByte, string Bound, double AttainableFlopsPerSecond, double Seconds);
}

using System.CommandLine;
using PerfNotebooks.Rendering;
using PerfNotebooks.Requests;
using PerfNotebooks.Serving;
namespace PerfNotebooks.Cli;

/// <summary><c>perfnb plan</c>: the cheapest deployment that serves a request rate within latency targets.</summary>
internal static class PlanCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var command = new Command("plan", "capacity plan: the cheapest GPU kind, layout and replica count that serve --request-rate within the latency targets, " +
                                          "every candidate judged by simulating vLLM serving it; the runners-up and the Pareto front");
        command.Arguments.Add(CliOptions.Model);
        CliCommands.AddAll(command, CliOptions.Plan, [CliOptions.Json, CliOptions.Output]);
        CliCommands.SetAction(command, Run);
        return command;
    }

    private static int Run(ParseResult parse, Terminal terminal)
    {
        var values = CliOptions.Values(parse);
        var name = parse.GetValue(CliOptions.Model)!;
        PlannerRequest request;
        try
        {
            request = PlannerOptions.ReadPlan(values);
        }
        catch (ArgumentException e) when (e is not ArgumentOutOfRangeException)
        {
            throw new CliException("perfnb plan: " + e.Message);
        }

        var model = PerfModel.Load(name, PlannerOptions.ReadBaseEngine(values));
        var result = model.Plan(request);
        if (parse.GetValue(CliOptions.Output) is { } path)
        {
            File.WriteAllText(path, PlannerHtml.Page(result));
        }

        if (parse.GetValue(CliOptions.Json))
        {
            terminal.Output.Write(PlanJson.Serialize(name, result) + "\n");
            return 0;
        }

        terminal.Line(result.Paragraph);
        terminal.Line();
        terminal.Table(PlannerTables.Deployments(result));
        terminal.Line();
        terminal.Line("Pareto front: " + Tables.OutputTokensPerGpu + " against tok/s per user");
        terminal.Table(PlannerTables.Pareto(result));
        if (parse.GetValue(CliOptions.Output) is { } written)
        {
            terminal.Line($"wrote {written} (the plan with its Pareto chart and latency distribution; plotly.js inlined, opens offline)");
        }

        return 0;
    }
}

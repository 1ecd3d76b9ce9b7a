using System.CommandLine;
using PerfNotebooks.Rendering;
using PerfNotebooks.Requests;
using PerfNotebooks.Serving;
namespace PerfNotebooks.Cli;

/// <summary><c>perfnb serve</c>: a serving benchmark simulated step by step — <c>vllm bench serve</c> by default,
/// aiperf's concurrency mode (<c>--concurrency</c>) or a static batch (<c>--batch</c>) — printed as vllm bench serve
/// prints it, expected beside the roofline bound, with the engine over time.</summary>
internal static class ServeCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var command = new Command("serve", "a serving benchmark simulated step by step: vllm bench serve (--num-prompts, --request-rate, --max-concurrency), " +
                                           "aiperf's concurrency mode (--concurrency) or a static batch (--batch); TTFT, TPOT, ITL and E2EL percentiles, " +
                                           "throughputs and goodput, expected and as roofline bound; --json with vllm bench serve's field names");
        command.Arguments.Add(CliOptions.Model);
        CliCommands.AddAll(command, CliOptions.Engine, [CliOptions.GpuName], CliOptions.Serve, [CliOptions.Json]);
        CliCommands.SetAction(command, Run);
        return command;
    }

    private static int Run(ParseResult parse, Terminal terminal)
    {
        var values = CliOptions.Values(parse);
        var name = parse.GetValue(CliOptions.Model)!;
        var gpu = RequestOptions.ReadGpu(values).Gpu;
        var model = PerfModel.Load(name, RequestOptions.ReadEngine(values));
        ServeBenchmarkResult result;
        try
        {
            result = model.Serve(values, gpu);
        }
        catch (ArgumentException e) when (e is not ArgumentOutOfRangeException)
        {
            throw new CliException("perfnb serve: " + e.Message);
        }

        var benchmark = result.Benchmark;
        if (parse.GetValue(CliOptions.Json))
        {
            CliJson.Write(terminal.Output, ServeJson.Of(name, result), CliJsonContext.Default.ServeJson);
            return 0;
        }

        terminal.Line($"{name} on {gpu.Name} | {Tables.Layout(benchmark.Source.Engine)} | " + Describe(benchmark));
        terminal.Line();
        terminal.Table(Tables.Serve(result));
        if (result.Fits)
        {
            terminal.Line();
            terminal.Table(Tables.ServeTimeline(result));
        }

        return 0;
    }

    /// <summary>What was simulated, in words: <c>vllm bench serve, 1000 prompts at 10 req/s (Poisson), 1024 in, 128 out</c>.</summary>
    public static string Describe(ServeBenchmark benchmark)
    {
        ArgumentNullException.ThrowIfNull(benchmark);
        return benchmark.Client.ToString();
    }
}

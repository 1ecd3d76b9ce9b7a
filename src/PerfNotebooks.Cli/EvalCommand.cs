using System.CommandLine;
using PerfNotebooks.Models;
using PerfNotebooks.Requests;
using PerfNotebooks.Vllm.Interop;

namespace PerfNotebooks.Cli;

/// <summary><c>perfnb eval</c>: the bulk JSON Lines entry point for tools and scripts.</summary>
internal static class EvalCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var command = new Command("eval", "evaluate JSON Lines in any golden format (cases, steps, engine settings, profiler configs)");
        CliCommands.AddAll(command, [CliOptions.Cases, CliOptions.Configs, CliOptions.Vllm, CliOptions.Output]);
        CliCommands.SetAction(command, Run);
        return command;
    }

    private static int Run(ParseResult parse, Terminal terminal)
    {
        var cases = parse.GetValue(CliOptions.Cases)!;
        var configs = parse.GetValue(CliOptions.Configs);
        if (configs is not null && !Directory.Exists(configs))
        {
            throw new CliException($"perfnb eval: --configs '{configs}' is not a folder");
        }

        if (cases != "-" && !File.Exists(cases))
        {
            throw new CliException($"perfnb eval: --cases '{cases}' does not exist");
        }

        CliOptions.Values(parse).TryGet(RequestOptions.Vllm, out var revision);
        // Implementation note: not through PerfModel. A golden line names its config and engine settings itself and is
        // answered by the vLLM book alone, exactly as vLLM's perf.py would (quirks, skipped components, its error text);
        // the line evaluator is that book's own reader of the golden formats.
        var evaluator = new LineEvaluator(name => Load(configs, name), revision);
        using var input = cases == "-" ? Console.In : new StreamReader(cases);
        using var file = parse.GetValue(CliOptions.Output) is { } path ? new StreamWriter(path) : null;
        var writer = file ?? terminal.Output;
        while (input.ReadLine() is { } line)
        {
            if (line.Trim().Length > 0)
            {
                writer.Write(evaluator.Evaluate(line));
                writer.Write('\n');
            }
        }

        return 0;
    }

    private static HfConfig Load(string? folder, string name)
    {
        if (folder is not null)
        {
            var path = Path.Combine(folder, name);
            if (File.Exists(path) || Directory.Exists(path))
            {
                return HfConfig.Load(path);
            }
        }

        if (File.Exists(name) || Directory.Exists(name))
        {
            return HfConfig.Load(name);
        }

        var bare = name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? name[..^5] : name;
        return ModelCatalog.TryFind(bare, out var model) ? model.Load() : ModelCatalog.Find(name).Load();
    }
}

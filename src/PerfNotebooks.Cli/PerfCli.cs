using System.Text.Json;
using PerfNotebooks.Configuration;

namespace PerfNotebooks.Cli;

/// <summary>The <c>perfnb</c> entry point: dispatches to a subcommand and turns every expected failure into one line.</summary>
public static class PerfCli
{
    /// <summary>The subcommands, in help order.</summary>
    public static IReadOnlyList<ICommand> Commands { get; } =
        [new StepCommand(), new ReportCommand(), new RooflineCommand(), new MemoryCommand(), new SweepCommand(), new ModelsCommand(), new GpusCommand(), new EvalCommand()];

    /// <summary>Runs <c>perfnb</c> with <paramref name="args"/>; returns the exit code (0 ok, 1 bad input, 2 usage).</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Count == 0 || args[0] is "--help" or "-h" or "help")
        {
            output.Write(Help());
            return args.Count == 0 ? 2 : 0;
        }

        var command = Commands.FirstOrDefault(c => c.Name == args[0]);
        if (command is null)
        {
            error.WriteLine($"perfnb: unknown command '{args[0]}'; commands are: {string.Join(", ", Commands.Select(c => c.Name))}");
            return 2;
        }

        var rest = args.Skip(1).ToList();
        if (rest.Contains("--help") || rest.Contains("-h"))
        {
            output.Write(CommandHelp(command));
            return 0;
        }

        try
        {
            return command.Run(ParsedOptions.Parse(command.Name, rest, command.Options), output);
        }
        catch (CliException e)
        {
            error.WriteLine(e.Message);
            return 2;
        }
        catch (EngineConfigException e)
        {
            error.WriteLine($"perfnb {command.Name}: {e.Setting} '{e.Value}' rejected: {e.Message}");
            return 1;
        }
        catch (Hub.HubException e)
        {
            error.WriteLine($"perfnb {command.Name}: {e.Message}");
            return 1;
        }
        catch (ModelConfigException e)
        {
            error.WriteLine($"perfnb {command.Name}: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or FormatException or OverflowException or ArgumentException)
        {
            error.WriteLine($"perfnb {command.Name}: {e.Message}");
            return 1;
        }
    }

    /// <summary>The top-level help.</summary>
    public static string Help()
    {
        var table = new TextTable("command", "what it does");
        foreach (var command in Commands)
        {
            table.Row(command.Name, command.Summary);
        }

        return "perfnb: where the FLOPs and bytes of an LLM inference step go (vLLM's perf model)\n\n" +
               "usage: perfnb COMMAND [options]; perfnb COMMAND --help for its options\n\n" + table;
    }

    /// <summary>One command's help: usage and options.</summary>
    public static string CommandHelp(ICommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var table = new TextTable("option", "meaning");
        foreach (var option in command.Options)
        {
            table.Row((option.Alias is { } alias ? $"-{alias}, " : string.Empty) + "--" + option.Name + (option.Value is null ? string.Empty : " " + option.Value), option.Help);
        }

        return $"{command.Summary}\n\nusage: {command.Usage}\n\n{table}";
    }
}

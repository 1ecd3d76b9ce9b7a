using System.CommandLine;
using System.Text.Json;
using PerfNotebooks.Models;
using PerfNotebooks.Requests;
namespace PerfNotebooks.Cli;

/// <summary>What every command shares: adding option groups, running with one-line errors, the default step.</summary>
internal static class CliCommands
{
    /// <summary>Adds every option of the groups to <paramref name="command"/>.</summary>
    public static void AddAll(Command command, params IEnumerable<Option>[] groups)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(groups);
        foreach (var option in groups.SelectMany(g => g))
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Sets the command's action: <paramref name="run"/> on a <see cref="Terminal"/>, every expected failure as one line.</summary>
    public static void SetAction(Command command, Func<ParseResult, Terminal, int> run)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(run);
        command.SetAction(parse =>
        {
            var config = parse.InvocationConfiguration;
            var terminal = Terminal.For(config.Output, config.Error);
            return Guarded(command.Name, terminal.Error, () => run(parse, terminal));
        });
    }

    /// <summary>The step of the batch options, or the default step (<see cref="BatchSpec.Default"/>) when none is given.</summary>
    public static (Batch Batch, bool IsDefault) Batch(IRequestValues values)
    {
        var spec = RequestOptions.ReadBatch(values);
        return (spec.OrDefault().ToBatch(), spec.IsEmpty);
    }

    /// <summary>The batch line of a table header; says when the default step is used.</summary>
    public static string BatchLine(in Batch batch, bool isDefault) =>
        "batch: " + batch + (isDefault ? " (the default step; set it with --prefill and --decode)" : string.Empty);

    /// <summary>Runs <paramref name="action"/>, turning every expected failure into one line on <paramref name="error"/>.</summary>
    public static int Guarded(string command, TextWriter error, Func<int> action)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            return action();
        }
        catch (CliException e)
        {
            error.Write(e.Message + "\n");
            return ExitCodes.Usage;
        }
        catch (EngineConfigException e)
        {
            error.Write($"perfnb {command}: {e.Setting} '{e.Value}' rejected: {OneLine(e.Message)}\n");
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (e is ModelConfigException or HubException or IOException or InvalidDataException or UnauthorizedAccessException or JsonException
                                      or FormatException or OverflowException or ArgumentException or InvalidOperationException)
        {
            error.Write($"perfnb {command}: {OneLine(e.Message)}\n");
            return ExitCodes.BadInput;
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}

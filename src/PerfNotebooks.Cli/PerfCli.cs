using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;

namespace PerfNotebooks.Cli;

/// <summary>The <c>perfnb</c> entry point: System.CommandLine commands, one-line errors and documented exit codes.</summary>
public static class PerfCli
{
    /// <summary>Runs <c>perfnb</c> with <paramref name="args"/>; returns the exit code (<see cref="ExitCodes"/>).</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var root = CreateRoot();
        var config = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        var parse = root.Parse(args);
        if (args.Count == 0)
        {
            root.Parse(["--help"]).Invoke(config);
            return ExitCodes.Usage;
        }

        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            error.Write(Describe(parse, parse.Errors[0]) + "\n");
            return ExitCodes.Usage;
        }

        return parse.Invoke(config);
    }

    /// <summary>The root command with every subcommand.</summary>
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("perfnb: where the FLOPs and bytes of an LLM inference step go (vLLM's perf model), and what that means on a GPU. " +
                                   ExitCodes.Describe() + ".");
        Command[] commands = [StepCommand.Create(), ReportCommand.Create(), RooflineCommand.Create(), MemoryCommand.Create(), SweepCommand.Create(), PlanCommand.Create(),
            ModelsCommand.Create(), GpusCommand.Create(), EvalCommand.Create(), MeasuredCommand.Create()];
        foreach (var command in commands)
        {
            root.Subcommands.Add(command);
        }

        var help = new Command("help", "show help for perfnb or one command (perfnb help step)");
        var topic = new Argument<string?>("COMMAND") { Arity = ArgumentArity.ZeroOrOne, Description = "the command to explain" };
        var serve = ServeCommand.Create();
        topic.AcceptOnlyFromAmong([.. commands.Select(c => c.Name), serve.Name]);
        help.Arguments.Add(topic);
        help.SetAction(parse =>
        {
            var name = parse.GetValue(topic);
            return root.Parse(name is null ? ["--help"] : [name, "--help"]).Invoke(parse.InvocationConfiguration);
        });
        root.Subcommands.Add(help);
        root.Subcommands.Add(serve);
        return root;
    }

    private static string Describe(ParseResult parse, ParseError error)
    {
        var command = parse.CommandResult.Command;
        var prefix = command is RootCommand ? "perfnb" : "perfnb " + command.Name;
        var unmatched = parse.UnmatchedTokens.Count > 0 ? parse.UnmatchedTokens[0] : null;
        if (command is RootCommand && unmatched is not null && !unmatched.StartsWith('-'))
        {
            return $"{prefix}: unknown command '{unmatched}'; commands are: {string.Join(", ", command.Subcommands.Select(c => c.Name))}";
        }

        if (unmatched is not null)
        {
            if (unmatched.StartsWith('-'))
            {
                var names = command.Options.Select(o => o.Name).Where(n => n.StartsWith("--", StringComparison.Ordinal)).ToList();
                var near = names.OrderBy(n => Distance(n, unmatched)).FirstOrDefault(n => Distance(n, unmatched) <= Math.Max(2, unmatched.Length / 4));
                return near is not null
                    ? $"{prefix}: unknown option '{unmatched}'; did you mean {near}? (perfnb help {command.Name} lists the options)"
                    : $"{prefix}: unknown option '{unmatched}'; options are: {string.Join(", ", names)}";
            }

            return $"{prefix}: unexpected argument '{unmatched}'; perfnb help {command.Name} shows the usage";
        }

        if (error.SymbolResult is ArgumentResult { Argument: { } argument } && error.Message.Contains("Required argument missing", StringComparison.Ordinal))
        {
            return $"{prefix}: missing {argument.Name}; usage: perfnb {command.Name} {argument.Name} [options] (perfnb help {command.Name})";
        }

        if (error.SymbolResult is CommandResult && error.Message.Contains("Required argument missing", StringComparison.Ordinal))
        {
            return $"{prefix}: missing {string.Join(" ", command.Arguments.Select(a => a.Name))}; usage: perfnb {command.Name} " +
                   $"{string.Join(" ", command.Arguments.Select(a => a.Name))} [options] (perfnb help {command.Name})";
        }

        var message = string.Join(' ', error.Message.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
        return $"{prefix}: {message}";
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
        }

        return d[a.Length, b.Length];
    }
}

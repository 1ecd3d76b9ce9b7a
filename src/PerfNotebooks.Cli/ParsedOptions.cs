using System.Globalization;

namespace PerfNotebooks.Cli;

/// <summary>Arguments parsed against a command's option specs.</summary>
public sealed class ParsedOptions
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    private ParsedOptions(string command) => Command = command;

    /// <summary>The command name, for messages.</summary>
    public string Command { get; }

    /// <summary>Positional arguments, in order.</summary>
    public List<string> Positionals { get; } = [];

    /// <summary>Parses <paramref name="args"/>; <c>--name value</c> and <c>--name=value</c> both work.</summary>
    /// <exception cref="CliException">An unknown option, a missing value or a repeated single option.</exception>
    public static ParsedOptions Parse(string command, IReadOnlyList<string> args, IReadOnlyList<OptionSpec> specs)
    {
        var parsed = new ParsedOptions(command);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg.Length == 2 && arg[0] == '-' && specs.FirstOrDefault(s => s.Alias == arg[1]) is { } aliased)
            {
                arg = "--" + aliased.Name;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg == "--")
            {
                if (arg.StartsWith('-') && arg.Length > 1 && arg != "-" && !char.IsDigit(arg[1]) && arg != "--")
                {
                    throw Unknown(command, arg, specs);
                }

                parsed.Positionals.Add(arg);
                continue;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals > 0 ? arg[2..equals] : arg[2..];
            var spec = specs.FirstOrDefault(s => s.Name == name) ?? throw Unknown(command, arg, specs);
            if (spec.IsFlag)
            {
                if (equals > 0)
                {
                    throw new CliException($"perfnb {command}: --{name} is a flag and takes no value (got '{arg[(equals + 1)..]}')");
                }

                parsed._flags.Add(name);
                continue;
            }

            string value;
            if (equals > 0)
            {
                value = arg[(equals + 1)..];
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            else
            {
                throw new CliException($"perfnb {command}: --{name} needs a value ({spec.Value})");
            }

            if (!parsed._values.TryGetValue(name, out var list))
            {
                parsed._values[name] = list = [];
            }
            else if (!spec.Repeatable)
            {
                throw new CliException($"perfnb {command}: --{name} was given twice; give it once");
            }

            list.Add(value);
        }

        return parsed;
    }

    /// <summary>Whether a flag was given.</summary>
    public bool Flag(string name) => _flags.Contains(name);

    /// <summary>The value of a single option, or null.</summary>
    public string? Value(string name) => _values.TryGetValue(name, out var list) ? list[^1] : null;

    /// <summary>Every value of a repeatable option, comma-separated values split.</summary>
    public IEnumerable<string> Values(string name) =>
        _values.TryGetValue(name, out var list)
            ? list.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            : [];

    /// <summary>A positive integer option, or <paramref name="fallback"/>.</summary>
    /// <exception cref="CliException">The value is not a positive integer.</exception>
    public int PositiveInt(string name, int fallback)
    {
        var text = Value(name);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new CliException($"perfnb {Command}: --{name} must be a positive whole number, not '{text}'");
    }

    /// <summary>A positive number option, or <paramref name="fallback"/>.</summary>
    /// <exception cref="CliException">The value is not a positive number.</exception>
    public double PositiveDouble(string name, double fallback)
    {
        var text = Value(name);
        if (text is null)
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && double.IsFinite(value)
            ? value
            : throw new CliException($"perfnb {Command}: --{name} must be a positive number, not '{text}'");
    }

    /// <summary>Requires exactly <paramref name="count"/> positionals.</summary>
    /// <exception cref="CliException">Too few or too many.</exception>
    public void RequirePositionals(int count, string usage)
    {
        if (Positionals.Count != count)
        {
            throw new CliException(Positionals.Count < count
                ? $"perfnb {Command}: missing argument; usage: {usage}"
                : $"perfnb {Command}: unexpected argument '{Positionals[count]}'; usage: {usage}");
        }
    }

    private static CliException Unknown(string command, string arg, IReadOnlyList<OptionSpec> specs) =>
        new($"perfnb {command}: unknown option '{arg}'; options are: {string.Join(", ", specs.Select(s => "--" + s.Name))}");
}

using System.Collections.Immutable;
using System.Text;
using PerfNotebooks.Requests;

namespace PerfNotebooks.Interactive;

/// <summary>
/// Splits a <c>#!perf</c> line into option name/value pairs for the core's <see cref="OptionText"/>, which parses
/// them with the request model (the CLI's parsers): tokens (double quotes group, as in a shell), <c>--name value</c>,
/// <c>--name=value</c>, bare flags, and one value without a name for the subcommand's implicit parameter.
/// </summary>
internal static class MagicLine
{
    public static List<string> Tokenize(string line)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        var any = false;
        foreach (var c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
                any = true;
            }
            else if (char.IsWhiteSpace(c) && !quoted)
            {
                Flush();
            }
            else
            {
                current.Append(c);
                any = true;
            }
        }

        if (quoted)
        {
            throw new PerfMagicException($"#!perf: unclosed quote in '{line.Trim()}'");
        }

        Flush();
        return tokens;

        void Flush()
        {
            if (any)
            {
                tokens.Add(current.ToString());
            }

            current.Clear();
            any = false;
        }
    }

    public static ImmutableArray<string> DirectiveLines(string cellCode) =>
        [.. cellCode.Split('\n').Select(l => l.Trim()).Where(l => l == "#!perf" || l.StartsWith("#!perf ", StringComparison.Ordinal) || l.StartsWith("#!perf\t", StringComparison.Ordinal))];

    public static OptionText Bind(MagicSubcommand spec, IEnumerable<string> arguments)
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        var tokens = arguments.ToList();
        var implicitUsed = false;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.StartsWith("--", StringComparison.Ordinal) && token.Length > 2)
            {
                var equals = token.IndexOf('=', StringComparison.Ordinal);
                var name = (equals < 0 ? token : token[..equals])[2..].ToLowerInvariant();
                var parameter = spec.Parameters.FirstOrDefault(p => p.Option.Name == name || p.Option.Aliases.Contains(name));
                string? value = null;
                if (equals >= 0)
                {
                    value = token[(equals + 1)..];
                }
                else if (parameter is null && i + 1 < tokens.Count && !tokens[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    value = tokens[++i];
                }
                else if (parameter is { Flag: false })
                {
                    value = i + 1 < tokens.Count && !tokens[i + 1].StartsWith("--", StringComparison.Ordinal)
                        ? tokens[++i]
                        : throw new PerfMagicException($"#!perf {spec.Name}: --{name} needs a value ({parameter.Description})");
                }

                // An unknown name goes on to OptionText, whose error names it and lists the options.
                pairs.Add(new(name, value));
                while (parameter is { Option.TakesSeveralValues: true } && equals < 0 && i + 1 < tokens.Count && !tokens[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    // vllm bench serve's nargs='+' options (--goodput ttft:500 tpot:50).
                    pairs.Add(new(name, tokens[++i]));
                }
            }
            else if (!implicitUsed && spec.Parameters.FirstOrDefault(p => p.Implicit) is { } positional)
            {
                pairs.Add(new(positional.Option.Name, token));
                implicitUsed = true;
            }
            else
            {
                throw new PerfMagicException($"#!perf {spec.Name}: unexpected '{token}'; options are: {string.Join(", ", spec.Parameters.Select(p => p.Name))}");
            }
        }

        if (!OptionText.TryParse(pairs, spec.Parameters.Select(p => p.Option), out var values, out var error))
        {
            throw new PerfMagicException($"#!perf {spec.Name}: {error}");
        }

        var given = pairs.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var parameter in spec.Parameters.Where(p => p.Required && !given.Contains(p.Option.Name)))
        {
            throw new PerfMagicException($"#!perf {spec.Name}: {parameter.Name} is required ({parameter.Description})");
        }

        return values;
    }
}

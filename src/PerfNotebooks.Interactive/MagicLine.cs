using System.Collections.Immutable;
using System.Text;

namespace PerfNotebooks.Interactive;

/// <summary>
/// The one parser of a <c>#!perf</c> line: tokens (double quotes group, as in a shell), then options bound to a
/// subcommand's declared parameters. Keys are the parameter names without dashes, lower case (<c>kvcachedtype</c>).
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

    public static Dictionary<string, string> Bind(MagicSubcommand spec, IEnumerable<string> arguments)
    {
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        var tokens = arguments.ToList();
        var options = spec.Parameters.IsEmpty ? "none" : string.Join(", ", spec.Parameters.Select(p => p.Name));
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            MagicParameter? parameter;
            string? value = null;
            if (token.StartsWith('-') && token.Length > 1 && !char.IsAsciiDigit(token[1]))
            {
                var equals = token.IndexOf('=', StringComparison.Ordinal);
                var name = equals < 0 ? token : token[..equals];
                parameter = spec.Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                    ?? throw new PerfMagicException($"#!perf {spec.Name}: unknown option '{name}'; options are: {options}");
                if (equals >= 0)
                {
                    value = token[(equals + 1)..];
                }
                else if (parameter.Flag)
                {
                    value = "true";
                }
                else if (i + 1 < tokens.Count && !IsOption(tokens[i + 1]))
                {
                    value = tokens[++i];
                }
                else
                {
                    throw new PerfMagicException($"#!perf {spec.Name}: {parameter.Name} needs a value ({parameter.Description})");
                }

                if (parameter.Flag && value is not ("true" or "false"))
                {
                    throw new PerfMagicException($"#!perf {spec.Name}: {parameter.Name} takes no value, not '{value}'");
                }
            }
            else
            {
                parameter = spec.Parameters.FirstOrDefault(p => p.Implicit && !given.ContainsKey(Key(p.Name)))
                    ?? throw new PerfMagicException($"#!perf {spec.Name}: unexpected '{token}'; options are: {options}");
                value = token;
            }

            var key = Key(parameter.Name);
            if (value.Length == 0)
            {
                throw new PerfMagicException($"#!perf {spec.Name}: {parameter.Name} needs a value ({parameter.Description})");
            }

            if (parameter.Flag && value == "false")
            {
                given.Remove(key);
            }
            else if (given.TryGetValue(key, out var earlier))
            {
                // Implementation note: requests add up, as the CLI's repeatable --prefill/--decode; anything else once.
                given[key] = parameter.Name is "--prefill" or "--decode"
                    ? earlier + "," + value
                    : throw new PerfMagicException($"#!perf {spec.Name}: {parameter.Name} given twice ('{earlier}', '{value}')");
            }
            else
            {
                given[key] = value;
            }
        }

        foreach (var parameter in spec.Parameters.Where(p => p.Required && !given.ContainsKey(Key(p.Name))))
        {
            throw new PerfMagicException($"#!perf {spec.Name}: {parameter.Name} is required ({parameter.Description})");
        }

        return given;
    }

    private static bool IsOption(string token) => token.StartsWith("--", StringComparison.Ordinal) && token.Length > 2;

    private static string Key(string name) => name.Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
}

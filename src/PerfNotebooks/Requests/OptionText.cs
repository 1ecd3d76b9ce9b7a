using System.Collections.Immutable;

namespace PerfNotebooks.Requests;

/// <summary>
/// Option values given as text (<c>("tp", "4")</c>, <c>("decode", "8192x32")</c>, <c>("ep", null)</c>), checked
/// against the options a command accepts: an unknown option or a bad value is one error line, never dropped.
/// </summary>
public sealed class OptionText : IRequestValues
{
    private readonly ImmutableDictionary<string, object?> _values;

    private OptionText(ImmutableDictionary<string, object?> values) => _values = values;

    /// <summary>No values.</summary>
    public static OptionText Empty { get; } = new(ImmutableDictionary<string, object?>.Empty);

    /// <summary>The names given.</summary>
    public IEnumerable<string> Names => _values.Keys;

    /// <summary>
    /// Parses name/value pairs (names with or without leading dashes; a name may repeat for options that allow it)
    /// against <paramref name="accepted"/>.
    /// </summary>
    /// <param name="pairs">The options as given.</param>
    /// <param name="accepted">The options the command takes.</param>
    /// <param name="values">The parsed values.</param>
    /// <param name="error">One line naming the option, the value and what is accepted (empty on success).</param>
    public static bool TryParse(IEnumerable<KeyValuePair<string, string?>> pairs, IEnumerable<IRequestOption> accepted,
        out OptionText values, out string error)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(accepted);
        values = Empty;
        error = string.Empty;
        var options = accepted.GroupBy(o => o.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var aliases = options.Values.SelectMany(o => o.Aliases.Select(a => (Alias: a, o.Name))).ToDictionary(a => a.Alias, a => a.Name, StringComparer.Ordinal);
        var texts = new Dictionary<string, List<string?>>(StringComparer.Ordinal);
        foreach (var (rawName, text) in pairs)
        {
            var name = (rawName ?? string.Empty).TrimStart('-');
            name = aliases.GetValueOrDefault(name, name);
            if (!options.ContainsKey(name))
            {
                error = $"unknown option --{name}; options are: {string.Join(", ", options.Keys.Select(k => "--" + k))}";
                return false;
            }

            if (!texts.TryGetValue(name, out var list))
            {
                texts[name] = list = [];
            }

            list.Add(text);
        }

        var builder = ImmutableDictionary.CreateBuilder<string, object?>(StringComparer.Ordinal);
        foreach (var (name, list) in texts)
        {
            if (!options[name].TryParseAny(list, out var value, out error))
            {
                return false;
            }

            builder[name] = value;
        }

        values = new OptionText(builder.ToImmutable());
        return true;
    }

    /// <inheritdoc />
    public bool TryGet<T>(RequestOption<T> requestOption, out T value)
    {
        ArgumentNullException.ThrowIfNull(requestOption);
        if (_values.TryGetValue(requestOption.Name, out var boxed) && boxed is T typed)
        {
            value = typed;
            return true;
        }

        value = requestOption.Default;
        return false;
    }
}

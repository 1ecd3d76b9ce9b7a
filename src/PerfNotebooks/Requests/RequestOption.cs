using System.Collections.Immutable;

namespace PerfNotebooks.Requests;

/// <summary>
/// One typed option of the request model: its name, help, default and its one parser, shared by the CLI
/// (System.CommandLine), <c>#!perf</c> and the report so that the same text means the same everywhere.
/// </summary>
/// <typeparam name="T">The parsed value.</typeparam>
public sealed class RequestOption<T> : IRequestOption
{
    private readonly Func<IReadOnlyList<string?>, (bool Ok, T Value, string Error)> _parse;

    internal RequestOption(string name, string? valueHint, string description, T defaultValue, bool allowsMany,
        IReadOnlyList<string>? suggestions, Func<IReadOnlyList<string?>, (bool Ok, T Value, string Error)> parse,
        IReadOnlyList<string>? aliases = null, bool takesSeveralValues = false)
    {
        Name = name;
        TakesSeveralValues = takesSeveralValues;
        Aliases = aliases ?? [];
        ValueHint = valueHint;
        Description = description;
        Default = defaultValue;
        AllowsMany = allowsMany;
        Suggestions = suggestions ?? [];
        _parse = parse;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Aliases { get; }

    /// <inheritdoc />
    public bool TakesSeveralValues { get; }

    /// <inheritdoc />
    public string? ValueHint { get; }

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>The value when the option is not given (defined here, once).</summary>
    public T Default { get; }

    /// <inheritdoc />
    public bool IsFlag => ValueHint is null;

    /// <inheritdoc />
    public bool AllowsMany { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Suggestions { get; }

    /// <summary>
    /// Parses every occurrence of the option (a list option's comma-separated values add up; a single option given
    /// twice is an error). The error is one line that starts with <c>--NAME</c>.
    /// </summary>
    public bool TryParse(IReadOnlyList<string?> texts, out T value, out string error)
    {
        ArgumentNullException.ThrowIfNull(texts);
        value = Default;
        if (texts.Count == 0)
        {
            error = string.Empty;
            return true;
        }

        if (texts.Count > 1 && !AllowsMany)
        {
            error = $"--{Name} was given {texts.Count} times; give it once";
            return false;
        }

        var (ok, parsed, reason) = _parse(texts);
        error = ok ? string.Empty : reason.StartsWith("--", StringComparison.Ordinal) ? reason : $"--{Name} {reason}";
        if (ok)
        {
            value = parsed;
        }

        return ok;
    }

    /// <summary>Parses one occurrence.</summary>
    public bool TryParse(string? text, out T value, out string error) => TryParse([text], out value, out error);

    /// <inheritdoc />
    public bool TryParseAny(IReadOnlyList<string?> texts, out object? value, out string message)
    {
        var ok = TryParse(texts, out var typed, out message);
        value = typed;
        return ok;
    }

    /// <inheritdoc />
    public TResult Accept<TResult>(IRequestOptionVisitor<TResult> visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        return visitor.Visit(this);
    }

    /// <inheritdoc />
    public override string ToString() => "--" + Name + (ValueHint is null ? string.Empty : " " + ValueHint);
}

/// <summary>Builders for <see cref="RequestOption{T}"/>.</summary>
public static class RequestOption
{
    /// <summary>A parser of one text: the value, or why not.</summary>
    public delegate bool Parser<T>(string? text, out T value, out string error);

    /// <summary>An option that takes one value.</summary>
    public static RequestOption<T> One<T>(string name, string valueHint, string description, T defaultValue, Parser<T> parse,
        IReadOnlyList<string>? suggestions = null, IReadOnlyList<string>? aliases = null)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return new(name, valueHint, description, defaultValue, false, suggestions, texts =>
            parse(texts[^1], out var value, out var error) ? (true, value, string.Empty) : (false, defaultValue, error), aliases);
    }

    /// <summary>An option that takes comma-separated values and may be repeated; the values add up in order.</summary>
    public static RequestOption<ImmutableArray<T>> Many<T>(string name, string valueHint, string description, ImmutableArray<T> defaultValue,
        Parser<T> parse, IReadOnlyList<string>? suggestions = null)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return new(name, valueHint, description, defaultValue, true, suggestions, texts =>
        {
            var values = ImmutableArray.CreateBuilder<T>();
            foreach (var text in texts)
            {
                var parts = Quantity.Split(text);
                if (parts.Length == 0)
                {
                    return (false, defaultValue, $"needs a value ({valueHint}), not '{text}'");
                }

                foreach (var part in parts)
                {
                    if (!parse(part, out var value, out var error))
                    {
                        return (false, defaultValue, error);
                    }

                    values.Add(value);
                }
            }

            return (true, values.ToImmutable(), string.Empty);
        });
    }

    /// <summary>An option that takes no value (<c>--ep</c>); <c>true</c>/<c>false</c>/<c>on</c>/<c>off</c> are accepted too.</summary>
    public static RequestOption<bool> Flag(string name, string description) =>
        new(name, null, description, false, false, null, texts => texts[^1] switch
        {
            null or "" or "true" or "on" => (true, true, string.Empty),
            "false" or "off" => (true, false, string.Empty),
            var other => (false, false, $"is a flag and takes no value (got '{other}')"),
        });
}

using System.Globalization;

namespace PerfNotebooks;

/// <summary>
/// A value outside its allowed range, with a one-line message naming the field and the value
/// (<c>utilization must be a fraction in (0, 1], not 2</c>), without the framework's "(Parameter '…')" and
/// "Actual value was …" lines.
/// </summary>
public sealed class InvalidValueException : ArgumentOutOfRangeException
{
    private readonly string _message;

    /// <summary>Creates the exception for <paramref name="field"/> holding <paramref name="value"/>, which breaks <paramref name="rule"/>.</summary>
    public InvalidValueException(string? field, object? value, string rule)
        : base(field, value, rule)
    {
        Rule = rule;
        _message = string.Create(CultureInfo.InvariantCulture, $"{field ?? "value"} {rule}, not {Shown(value)}");
    }

    /// <summary>Creates the exception with a ready message.</summary>
    public InvalidValueException()
        : this(null, null, "is out of range")
    {
    }

    /// <summary>Creates the exception with a ready message.</summary>
    public InvalidValueException(string message)
        : base(null, message)
    {
        Rule = message;
        _message = message;
    }

    /// <summary>Creates the exception with a ready message and a cause.</summary>
    public InvalidValueException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Rule = message;
        _message = message;
    }

    /// <summary>The rule the value breaks (<c>must be greater than 0</c>).</summary>
    public string Rule { get; }

    /// <summary>One line: the field, the rule and the value.</summary>
    public override string Message => _message;

    private static string Shown(object? value) => value switch
    {
        null => "null",
        string s => $"'{s}'",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "null",
    };
}

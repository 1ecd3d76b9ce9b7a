using System.Collections.Immutable;
using System.Globalization;

namespace PerfNotebooks.Requests;

/// <summary>
/// Whole-number quantities as users type them (tokens, requests, context lengths, parallel sizes): <c>8192</c>,
/// <c>8_192</c>, <c>4k</c> (×1,024), <c>1M</c> (×1,048,576), the same in the CLI, <c>#!perf</c> and the report.
/// </summary>
public static class Quantity
{
    /// <summary>What a quantity looks like, for messages.</summary>
    public const string Syntax = "a positive whole number (suffix k = ×1024, M = ×1048576 allowed)";

    /// <summary>Parses a positive whole number with an optional <c>k</c> or <c>M</c> suffix.</summary>
    /// <param name="text">The text, e.g. <c>32k</c>.</param>
    /// <param name="value">The value, e.g. 32,768.</param>
    /// <param name="error">Why <paramref name="text"/> is not a quantity (empty on success).</param>
    public static bool TryParse(string? text, out long value, out string error)
    {
        value = 0;
        error = string.Empty;
        var cleaned = (text ?? string.Empty).Trim().Replace("_", string.Empty, StringComparison.Ordinal);
        var multiplier = 1L;
        if (cleaned.EndsWith('k') || cleaned.EndsWith('K'))
        {
            multiplier = 1024;
            cleaned = cleaned[..^1];
        }
        else if (cleaned.EndsWith('M'))
        {
            multiplier = 1024 * 1024;
            cleaned = cleaned[..^1];
        }

        if (long.TryParse(cleaned, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0 &&
            value <= long.MaxValue / multiplier)
        {
            value *= multiplier;
            return true;
        }

        value = 0;
        error = $"must be {Syntax}, not '{text}'";
        return false;
    }

    /// <summary>Parses a quantity that must fit an <see cref="int"/> (parallel sizes).</summary>
    public static bool TryParseInt(string? text, out int value, out string error)
    {
        value = 0;
        if (!TryParse(text, out var wide, out error))
        {
            return false;
        }

        if (wide > int.MaxValue)
        {
            error = $"must be at most {int.MaxValue:N0}, not '{text}'";
            return false;
        }

        value = (int)wide;
        return true;
    }

    /// <summary>Parses comma-separated quantities, <c>1,8,32</c> or <c>4k,32k</c>.</summary>
    public static bool TryParseList(string? text, out ImmutableArray<long> values, out string error)
    {
        var builder = ImmutableArray.CreateBuilder<long>();
        foreach (var part in Split(text))
        {
            if (!TryParse(part, out var value, out error))
            {
                values = [];
                return false;
            }

            builder.Add(value);
        }

        error = string.Empty;
        values = builder.ToImmutable();
        return true;
    }

    /// <summary>Parses a fraction in (0, 1] (<c>0.9</c>), for memory utilization and efficiencies.</summary>
    public static bool TryParseFraction(string? text, out double value, out string error)
    {
        error = string.Empty;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && value > 0 && value <= 1)
        {
            return true;
        }

        value = 0;
        error = $"must be a fraction in (0, 1], e.g. 0.9, not '{text}'";
        return false;
    }

    /// <summary>Parses a positive finite number (<c>50</c>, <c>0.5</c>), for latency bounds and reserves.</summary>
    public static bool TryParsePositive(string? text, out double value, out string error)
    {
        error = string.Empty;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && value > 0 && double.IsFinite(value))
        {
            return true;
        }

        value = 0;
        error = $"must be a positive number, not '{text}'";
        return false;
    }

    /// <summary>Splits comma-separated text into trimmed, non-empty parts.</summary>
    public static string[] Split(string? text) =>
        (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

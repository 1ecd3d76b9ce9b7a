using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PerfNotebooks.Models;

/// <summary>How a config attribute was found: absent, explicitly null, an integer, or something else.</summary>
internal enum ConfigNumberKind
{
    /// <summary>The key is absent (Python's <c>hasattr</c> is false).</summary>
    Missing,

    /// <summary>The key is present with value null (Python's <c>None</c>).</summary>
    None,

    /// <summary>An integer (or a bool, or an integral float, as pydantic's lax mode accepts).</summary>
    Whole,

    /// <summary>A value that is not an integer (text, fraction, list, object).</summary>
    Malformed,
}

/// <summary>A config attribute read as an integer, keeping the distinctions Python's attribute semantics make.</summary>
/// <param name="Kind">How the attribute was found.</param>
/// <param name="Value">The integer, when <see cref="Kind"/> is <see cref="ConfigNumberKind.Whole"/>.</param>
/// <param name="Raw">The JSON text, for messages.</param>
internal readonly record struct ConfigNumber(ConfigNumberKind Kind, long Value, string Raw)
{
    /// <summary>An absent attribute.</summary>
    public static ConfigNumber Missing => new(ConfigNumberKind.Missing, 0, "(absent)");

    /// <summary>Whether the key is present (Python's <c>hasattr</c>).</summary>
    public bool Exists => Kind != ConfigNumberKind.Missing;

    /// <summary>The integer, or null for anything else.</summary>
    public long? AsNullable => Kind == ConfigNumberKind.Whole ? Value : null;

    /// <summary>An integer value.</summary>
    public static ConfigNumber Of(long value) => new(ConfigNumberKind.Whole, value, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Reads <paramref name="key"/> of <paramref name="obj"/>.</summary>
    public static ConfigNumber Read(JsonObject obj, string key)
    {
        if (!obj.TryGetPropertyValue(key, out var node))
        {
            return Missing;
        }

        return From(node);
    }

    /// <summary>Interprets a JSON node.</summary>
    public static ConfigNumber From(JsonNode? node)
    {
        if (node is null)
        {
            return new(ConfigNumberKind.None, 0, "null");
        }

        var raw = node.ToJsonString();
        if (node is JsonValue value)
        {
            switch (value.GetValueKind())
            {
                case JsonValueKind.True:
                    return new(ConfigNumberKind.Whole, 1, raw);
                case JsonValueKind.False:
                    return new(ConfigNumberKind.Whole, 0, raw);
                case JsonValueKind.Number:
                    if (long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
                    {
                        return new(ConfigNumberKind.Whole, whole, raw);
                    }

                    if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) &&
                        real == Math.Floor(real) && Math.Abs(real) < 9e15)
                    {
                        return new(ConfigNumberKind.Whole, (long)real, raw);
                    }

                    break;
            }
        }

        return new(ConfigNumberKind.Malformed, 0, raw);
    }
}

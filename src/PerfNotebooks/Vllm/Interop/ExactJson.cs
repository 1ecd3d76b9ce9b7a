using System.Globalization;
using System.Text.Json;

namespace PerfNotebooks.Vllm.Interop;

/// <summary>Writes exact counts as JSON numbers (no quotes, no exponent, past 2^64), and breakdowns as objects of them.</summary>
public static class ExactJson
{
    /// <summary>Writes <c>"name": value</c> with the exact integer.</summary>
    public static void WriteInt(Utf8JsonWriter writer, string name, Int128 value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName(name);
        writer.WriteRawValue(value.ToString(CultureInfo.InvariantCulture), skipInputValidation: true);
    }

    /// <summary>Writes the exact integer as an array element or value.</summary>
    public static void WriteIntValue(Utf8JsonWriter writer, Int128 value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteRawValue(value.ToString(CultureInfo.InvariantCulture), skipInputValidation: true);
    }

    /// <summary>Writes <c>"name": {"attn.qkv_proj": …, …}</c>, terms in order.</summary>
    public static void WriteBreakdown(Utf8JsonWriter writer, string name, Breakdown breakdown)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(breakdown);
        writer.WriteStartObject(name);
        foreach (var term in breakdown)
        {
            WriteInt(writer, term.Qualified, term.Value);
        }

        writer.WriteEndObject();
    }
}

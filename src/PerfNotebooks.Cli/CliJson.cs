using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace PerfNotebooks.Cli;

/// <summary>Writes a command's <c>--json</c> record: indented, snake_case, exact integer counts (<see cref="Int128"/>
/// as a JSON number literal, never through <see cref="double"/>), non-finite reals as null.</summary>
internal static class CliJson
{
    /// <summary>For <c>perfnb plan --json</c>: text unescaped (non-ASCII, quotes), as the plan has always been written.</summary>
    public static CliJsonContext PlanContext { get; } = new(new JsonSerializerOptions(CliJsonContext.Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>Writes <paramref name="value"/> and a newline.</summary>
    public static void Write<T>(TextWriter output, T value, JsonTypeInfo<T> type)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(JsonSerializer.Serialize(value, type) + "\n");
    }

    /// <summary>A breakdown's exact counts by qualified term name (<c>attn.qkv_proj</c>), in order.</summary>
    public static Dictionary<string, Int128> Terms(Breakdown breakdown) => breakdown.ToDictionary(t => t.Qualified, t => t.Value);
}

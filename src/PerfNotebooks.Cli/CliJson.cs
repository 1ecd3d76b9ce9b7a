using System.Text;
using System.Text.Json;

namespace PerfNotebooks.Cli;

/// <summary>Indented JSON with exact integer counts (written as JSON numbers, never through <see cref="double"/>).</summary>
internal static class CliJson
{
    /// <summary>Writes one JSON document built by <paramref name="write"/> and a newline.</summary>
    public static void Write(TextWriter output, Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(write);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            write(writer);
        }

        output.Write(Encoding.UTF8.GetString(stream.ToArray()) + "\n");
    }

    /// <summary>A finite number, or null (JSON has no infinity).</summary>
    public static void Real(Utf8JsonWriter writer, string name, double value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (double.IsFinite(value))
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}

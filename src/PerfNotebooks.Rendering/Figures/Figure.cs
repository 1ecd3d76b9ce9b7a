using System.Collections.Immutable;
using System.Text;
using System.Text.Json;

namespace PerfNotebooks.Rendering.Figures;

/// <summary>A plotly.js figure: traces and a layout, written as the JSON plotly.js reads.</summary>
/// <param name="Traces">The data series.</param>
/// <param name="Layout">Titles, axes, stacking, shapes and annotations.</param>
public sealed record Figure(ImmutableArray<Trace> Traces, Layout Layout)
{
    /// <summary>The figure as <c>{"data": [...], "layout": {...}}</c>, compact, numbers in shortest round-trip form.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("data");
            foreach (var trace in Traces)
            {
                trace.Write(writer);
            }

            writer.WriteEndArray();
            writer.WritePropertyName("layout");
            Layout.Write(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}

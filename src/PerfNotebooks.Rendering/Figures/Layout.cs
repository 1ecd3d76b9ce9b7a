using System.Collections.Immutable;
using System.Text.Json;

namespace PerfNotebooks.Rendering.Figures;

/// <summary>A figure's layout.</summary>
public sealed record Layout
{
    /// <summary>Figure title.</summary>
    public required string Title { get; init; }

    /// <summary>The x axis.</summary>
    public required Axis XAxis { get; init; }

    /// <summary>The y axis.</summary>
    public required Axis YAxis { get; init; }

    /// <summary>plotly.js barmode (<c>stack</c>, <c>group</c>), or null.</summary>
    public string? BarMode { get; init; }

    /// <summary>Lines in data coordinates.</summary>
    public ImmutableArray<Shape> Shapes { get; init; } = [];

    /// <summary>Labels in data coordinates.</summary>
    public ImmutableArray<Annotation> Annotations { get; init; } = [];

    /// <summary>Height in pixels.</summary>
    public int Height { get; init; } = 420;

    internal void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("title");
        writer.WriteString("text", Title);
        writer.WriteNumber("x", 0.01);
        writer.WriteString("xanchor", "left");
        writer.WriteEndObject();
        WriteAxis(writer, "xaxis", XAxis);
        WriteAxis(writer, "yaxis", YAxis);
        if (BarMode is not null)
        {
            writer.WriteString("barmode", BarMode);
        }

        writer.WriteNumber("height", Height);
        writer.WriteStartObject("margin");
        writer.WriteNumber("t", 50);
        writer.WriteNumber("r", 20);
        writer.WriteEndObject();
        writer.WriteString("hovermode", "closest");
        if (!Shapes.IsEmpty)
        {
            writer.WriteStartArray("shapes");
            foreach (var shape in Shapes)
            {
                writer.WriteStartObject();
                writer.WriteString("type", "line");
                writer.WriteNumber("x0", shape.X0);
                writer.WriteNumber("y0", shape.Y0);
                writer.WriteNumber("x1", shape.X1);
                writer.WriteNumber("y1", shape.Y1);
                writer.WriteStartObject("line");
                writer.WriteString("color", shape.Color);
                writer.WriteNumber("width", 2);
                if (shape.Dash is not null)
                {
                    writer.WriteString("dash", shape.Dash);
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        if (!Annotations.IsEmpty)
        {
            writer.WriteStartArray("annotations");
            foreach (var note in Annotations)
            {
                writer.WriteStartObject();
                writer.WriteNumber("x", LogAware(XAxis, note.X));
                writer.WriteNumber("y", LogAware(YAxis, note.Y));
                writer.WriteString("text", note.Text);
                writer.WriteBoolean("showarrow", note.Arrow);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    // plotly.js places annotations on log axes by the exponent.
    private static double LogAware(Axis axis, double value) => axis.Log ? Math.Log10(value) : value;

    private static void WriteAxis(Utf8JsonWriter writer, string name, Axis axis)
    {
        writer.WriteStartObject(name);
        writer.WriteStartObject("title");
        writer.WriteString("text", axis.Title);
        writer.WriteEndObject();
        if (axis.Log)
        {
            writer.WriteString("type", "log");
        }
        else if (axis.Category)
        {
            writer.WriteString("type", "category");
        }

        if (axis.TickSuffix is not null)
        {
            writer.WriteString("ticksuffix", axis.TickSuffix);
            writer.WriteString("exponentformat", "SI");
        }

        writer.WriteBoolean("automargin", true);
        writer.WriteEndObject();
    }
}

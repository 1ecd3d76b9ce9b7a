using System.Collections.Immutable;
using System.Text.Json;

namespace PerfNotebooks.Rendering.Figures;

/// <summary>One plotly.js trace.</summary>
public abstract record Trace
{
    /// <summary>Legend name.</summary>
    public required string Name { get; init; }

    /// <summary>Categorical x values (used when set).</summary>
    public ImmutableArray<string> XLabels { get; init; }

    /// <summary>Numeric x values.</summary>
    public ImmutableArray<double> X { get; init; }

    /// <summary>Numeric y values.</summary>
    public ImmutableArray<double> Y { get; init; }

    /// <summary>Categorical y values (heatmaps, horizontal bars).</summary>
    public ImmutableArray<string> YLabels { get; init; }

    /// <summary>Colour (CSS).</summary>
    public string? Color { get; init; }

    /// <summary>Per-point hover text (exact numbers), or none.</summary>
    public ImmutableArray<string> HoverText { get; init; }

    /// <summary>A hover template shared by every point (no per-point repetition), or null.</summary>
    public string? HoverTemplate { get; init; }

    /// <summary>Legend group, so a component's terms toggle together.</summary>
    public string? LegendGroup { get; init; }

    /// <summary>Legend position (plotly.js <c>legendrank</c>, lower first), or null for trace order.</summary>
    public int? LegendRank { get; init; }

    /// <summary>Whether the trace shows in the legend.</summary>
    public bool ShowLegend { get; init; } = true;

    /// <summary>plotly.js trace type.</summary>
    protected abstract string Type { get; }

    internal void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("type", Type);
        writer.WriteString("name", Name);
        if (!XLabels.IsDefault)
        {
            Strings(writer, "x", XLabels);
        }
        else if (!X.IsDefault)
        {
            Numbers(writer, "x", X);
        }

        if (!YLabels.IsDefault)
        {
            Strings(writer, "y", YLabels);
        }
        else if (!Y.IsDefault)
        {
            Numbers(writer, "y", Y);
        }

        if (!HoverText.IsDefault)
        {
            Strings(writer, "hovertext", HoverText);
            writer.WriteString("hoverinfo", "text");
        }

        if (HoverTemplate is not null)
        {
            writer.WriteString("hovertemplate", HoverTemplate);
        }

        if (LegendGroup is not null)
        {
            writer.WriteString("legendgroup", LegendGroup);
        }

        if (LegendRank is { } rank)
        {
            writer.WriteNumber("legendrank", rank);
        }

        if (!ShowLegend)
        {
            writer.WriteBoolean("showlegend", false);
        }

        WriteMore(writer);
        writer.WriteEndObject();
    }

    /// <summary>Writes the trace type's own properties.</summary>
    protected abstract void WriteMore(Utf8JsonWriter writer);

    internal static void Numbers(Utf8JsonWriter writer, string? name, ImmutableArray<double> values)
    {
        if (name is null)
        {
            writer.WriteStartArray();
        }
        else
        {
            writer.WriteStartArray(name);
        }

        foreach (var value in values)
        {
            if (double.IsFinite(value))
            {
                writer.WriteNumberValue(value);
            }
            else
            {
                writer.WriteNullValue();
            }
        }

        writer.WriteEndArray();
    }

    internal static void Strings(Utf8JsonWriter writer, string name, ImmutableArray<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}

/// <summary>A bar trace (stacked when the layout says so).</summary>
public sealed record BarTrace : Trace
{
    /// <summary>Horizontal bars.</summary>
    public bool Horizontal { get; init; }

    /// <inheritdoc />
    protected override string Type => "bar";

    /// <inheritdoc />
    protected override void WriteMore(Utf8JsonWriter writer)
    {
        if (Horizontal)
        {
            writer.WriteString("orientation", "h");
        }

        if (Color is not null)
        {
            writer.WriteStartObject("marker");
            writer.WriteString("color", Color);
            writer.WriteEndObject();
        }
    }
}

/// <summary>A line and/or marker trace.</summary>
public sealed record ScatterTrace : Trace
{
    /// <summary>plotly.js mode: <c>lines</c>, <c>markers</c>, <c>markers+text</c>, <c>lines+markers</c>.</summary>
    public string Mode { get; init; } = "lines";

    /// <summary>Line dash (<c>dash</c>, <c>dot</c>), or null for solid.</summary>
    public string? Dash { get; init; }

    /// <summary>Labels drawn next to markers.</summary>
    public ImmutableArray<string> Text { get; init; }

    /// <summary>Marker size in pixels.</summary>
    public double MarkerSize { get; init; } = 8;

    /// <summary>Marker symbol (<c>circle</c>, <c>diamond</c>, <c>star</c>).</summary>
    public string? Symbol { get; init; }

    /// <summary>One marker symbol per point (<c>circle</c>, <c>circle-open</c>); used instead of <see cref="Symbol"/> when set.</summary>
    public ImmutableArray<string> Symbols { get; init; }

    /// <inheritdoc />
    protected override string Type => "scatter";

    /// <inheritdoc />
    protected override void WriteMore(Utf8JsonWriter writer)
    {
        writer.WriteString("mode", Mode);
        if (!Text.IsDefault)
        {
            Strings(writer, "text", Text);
            writer.WriteString("textposition", "top center");
        }

        if (Mode.Contains("lines", StringComparison.Ordinal))
        {
            writer.WriteStartObject("line");
            if (Color is not null)
            {
                writer.WriteString("color", Color);
            }

            if (Dash is not null)
            {
                writer.WriteString("dash", Dash);
            }

            writer.WriteEndObject();
        }

        if (Mode.Contains("markers", StringComparison.Ordinal))
        {
            writer.WriteStartObject("marker");
            if (Color is not null)
            {
                writer.WriteString("color", Color);
            }

            writer.WriteNumber("size", MarkerSize);
            if (!Symbols.IsDefault)
            {
                Strings(writer, "symbol", Symbols);
            }
            else if (Symbol is not null)
            {
                writer.WriteString("symbol", Symbol);
            }

            writer.WriteEndObject();
        }
    }
}

/// <summary>A heatmap over two categorical axes.</summary>
public sealed record HeatmapTrace : Trace
{
    /// <summary>Values by row (y) then column (x); NaN for missing.</summary>
    public ImmutableArray<ImmutableArray<double>> Z { get; init; } = [];

    /// <summary>Colour bar title (the metric and its unit).</summary>
    public string ColorBarTitle { get; init; } = string.Empty;

    /// <inheritdoc />
    protected override string Type => "heatmap";

    /// <inheritdoc />
    protected override void WriteMore(Utf8JsonWriter writer)
    {
        writer.WriteStartArray("z");
        foreach (var row in Z)
        {
            Numbers(writer, null, row);
        }

        writer.WriteEndArray();
        writer.WriteString("colorscale", "Viridis");
        writer.WriteStartObject("colorbar");
        writer.WriteStartObject("title");
        writer.WriteString("text", ColorBarTitle);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}

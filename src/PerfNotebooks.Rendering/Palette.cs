using System.Globalization;

namespace PerfNotebooks.Rendering;

/// <summary>One colour per component across every chart and table, with lighter shades for its terms.</summary>
public static class Palette
{
    private static readonly Dictionary<string, (int R, int G, int B)> Base = new(StringComparer.Ordinal)
    {
        ["attn"] = (31, 119, 180),
        ["ffn"] = (255, 127, 14),
        ["unembed"] = (44, 160, 44),
        ["tp"] = (214, 39, 40),
        ["kv"] = (148, 103, 189),
        ["free"] = (199, 199, 199),
        ["step"] = (23, 23, 23),
    };

    // Tableau 10 (Maureen Stone's palette for Tableau, the default of many plotting libraries), reordered so
    // neighbouring series differ most in hue: blue, orange, green, red, purple, teal, yellow, brown, pink, grey.
    private static readonly string[] Categories =
        ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948", "#9c755f", "#ff9da7", "#bab0ac"];

    /// <summary>How many distinct colours <see cref="Categorical"/> has before it repeats.</summary>
    public const int CategoricalCount = 10;

    /// <summary>Colour <paramref name="index"/> of a categorical palette with distinct hues (for series that are not components), repeating after <see cref="CategoricalCount"/>.</summary>
    public static string Categorical(int index) => Categories[((index % CategoricalCount) + CategoricalCount) % CategoricalCount];

    /// <summary>The component's colour (<c>attn</c>, <c>ffn</c>, <c>unembed</c>, <c>tp</c>, <c>kv</c>, <c>free</c>, <c>step</c>); grey otherwise.</summary>
    public static string Of(string component) => Shade(component, 0, 1);

    /// <summary>Shade <paramref name="index"/> of <paramref name="count"/> of a component's colour (darkest first).</summary>
    public static string Shade(string component, int index, int count)
    {
        ArgumentNullException.ThrowIfNull(component);
        var key = component.Split('.')[0];
        var (r, g, b) = Base.TryGetValue(key, out var rgb) ? rgb : (127, 127, 127);
        var mix = count <= 1 ? 0 : 0.55 * index / (count - 1);
        return string.Create(CultureInfo.InvariantCulture,
            $"rgb({(int)(r + ((255 - r) * mix))},{(int)(g + ((255 - g) * mix))},{(int)(b + ((255 - b) * mix))})");
    }
}

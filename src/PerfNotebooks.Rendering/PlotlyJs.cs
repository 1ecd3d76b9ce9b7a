namespace PerfNotebooks.Rendering;

/// <summary>The plotly.js bundle embedded at build time (plotly.js 3.7.0, from the Plotly.Blazor 7.2.0 package).</summary>
public static class PlotlyJs
{
    private static readonly Lazy<string> Source = new(() =>
    {
        using var stream = typeof(PlotlyJs).Assembly.GetManifestResourceStream("PerfNotebooks.Rendering.plotly.min.js")
            ?? throw new InvalidOperationException("plotly.min.js is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>The plotly.js version.</summary>
    public const string Version = "3.7.0";

    /// <summary>The minified plotly.js source.</summary>
    public static string Script => Source.Value;

    /// <summary>A <c>&lt;script&gt;</c> element carrying plotly.js inline, so a page works offline.</summary>
    public static string InlineTag() => "<script>" + Script.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase) + "</script>";
}

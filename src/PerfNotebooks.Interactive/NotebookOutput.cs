using System.Collections.Immutable;
using PerfNotebooks.Rendering.Figures;

namespace PerfNotebooks.Interactive;

/// <summary>
/// One notebook output that renders on its own: HTML with its own scoped stylesheet, and for a chart the
/// <c>application/vnd.plotly.v1+json</c> figure that JupyterLab and VS Code draw natively (the HTML is the fallback).
/// </summary>
/// <param name="Html">Self-contained HTML (no plotly.js, no page-wide CSS).</param>
/// <param name="Figure">The chart, or null for a table or text.</param>
public sealed record NotebookOutput(string Html, Figure? Figure = null)
{
    /// <summary>The plotly figure mime type.</summary>
    public const string PlotlyMimeType = "application/vnd.plotly.v1+json";

    /// <summary>The output as (mime type, value) pairs, the richest first, as the kernel's formatted values take them.</summary>
    public ImmutableArray<KeyValuePair<string, string>> MimeBundle =>
        Figure is null
            ? [new("text/html", Html)]
            : [new(PlotlyMimeType, Figure.ToJson()), new("text/html", Html)];
}

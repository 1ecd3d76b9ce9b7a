using PerfNotebooks.Rendering.Figures;

namespace PerfNotebooks.Rendering;

/// <summary>HTML for one figure: a div and the script that draws it with plotly.js (which the page must load once).</summary>
public static class FigureHtml
{
    /// <summary>The figure's div (id <paramref name="id"/>) and its <c>Plotly.newPlot</c> call.</summary>
    public static string Render(Figure figure, string id)
    {
        ArgumentNullException.ThrowIfNull(figure);
        ArgumentException.ThrowIfNullOrEmpty(id);
        var json = figure.ToJson().Replace("</", "<\\/", StringComparison.Ordinal);
        // Implementation note: drawn once the document is parsed, so a figure in a grid is sized with its siblings present.
        return $"<div class=\"figure\" id=\"{id}\"></div>\n<script>(function(){{var f={json};var draw=function(){{Plotly.newPlot('{id}',f.data,f.layout,{{responsive:true,displaylogo:false}});}};" +
               "if(document.readyState==='loading'){document.addEventListener('DOMContentLoaded',draw);}else{draw();}})();</script>";
    }
}

using System.Globalization;
using System.Net;
using System.Text;
using PerfNotebooks.Rendering.Figures;

namespace PerfNotebooks.Rendering;

/// <summary>A self-contained HTML page (plotly.js inlined once) built section by section; what the file-based notebook twins write.</summary>
public sealed class HtmlPage(string title)
{
    private readonly StringBuilder _body = new();
    private int _figures;

    /// <summary>Adds a heading.</summary>
    public HtmlPage Heading(string text)
    {
        _body.Append("<h2>").Append(WebUtility.HtmlEncode(text)).Append("</h2>\n");
        return this;
    }

    /// <summary>Adds a paragraph of text.</summary>
    public HtmlPage Text(string text)
    {
        _body.Append("<p>").Append(WebUtility.HtmlEncode(text)).Append("</p>\n");
        return this;
    }

    /// <summary>Adds HTML from a renderer (a table).</summary>
    public HtmlPage Html(string html)
    {
        _body.Append(html).Append('\n');
        return this;
    }

    /// <summary>Adds a figure.</summary>
    public HtmlPage Figure(Figure figure)
    {
        _body.Append(FigureHtml.Render(figure, "fig-" + (++_figures).ToString(CultureInfo.InvariantCulture))).Append('\n');
        return this;
    }

    /// <summary>Number of figures added.</summary>
    public int FigureCount => _figures;

    /// <summary>The page.</summary>
    public override string ToString() =>
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + WebUtility.HtmlEncode(title) + "</title>\n<style>" + ReportHtml.Css +
        "</style>\n" + PlotlyJs.InlineTag() + "\n</head><body>\n<h1>" + WebUtility.HtmlEncode(title) + "</h1>\n" + _body + "</body></html>\n";

    /// <summary>Writes the page to <paramref name="path"/> and returns the path.</summary>
    public string Save(string path)
    {
        File.WriteAllText(path, ToString());
        return path;
    }
}

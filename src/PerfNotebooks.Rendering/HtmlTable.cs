using System.Net;
using System.Text;

namespace PerfNotebooks.Rendering;

/// <summary>Builds an HTML table with escaped cells; numeric columns are right-aligned.</summary>
internal sealed class HtmlTable
{
    private readonly StringBuilder _html = new();
    private readonly HashSet<int> _numeric;

    public HtmlTable(string cssClass, IReadOnlyList<string> headers, params int[] numericColumns)
    {
        _numeric = [.. numericColumns];
        _html.Append("<table class=\"perfnb ").Append(cssClass).Append("\"><thead><tr>");
        for (var i = 0; i < headers.Count; i++)
        {
            _html.Append(_numeric.Contains(i) ? "<th class=\"num\">" : "<th>").Append(WebUtility.HtmlEncode(headers[i])).Append("</th>");
        }

        _html.Append("</tr></thead><tbody>");
    }

    public HtmlTable Row(params string[] cells) => StyledRow(null, null, cells);

    public HtmlTable StyledRow(string? rowClass, string? title, params string[] cells)
    {
        _html.Append(rowClass is null ? "<tr>" : $"<tr class=\"{rowClass}\">");
        for (var i = 0; i < cells.Length; i++)
        {
            _html.Append(_numeric.Contains(i) ? "<td class=\"num\"" : "<td");
            if (title is not null && i == 0)
            {
                _html.Append(" title=\"").Append(WebUtility.HtmlEncode(title)).Append('"');
            }

            _html.Append('>').Append(WebUtility.HtmlEncode(cells[i])).Append("</td>");
        }

        _html.Append("</tr>");
        return this;
    }

    /// <summary>A row whose first cell carries a colour swatch.</summary>
    public HtmlTable SwatchRow(string color, string? rowClass, params string[] cells)
    {
        _html.Append(rowClass is null ? "<tr>" : $"<tr class=\"{rowClass}\">");
        for (var i = 0; i < cells.Length; i++)
        {
            _html.Append(_numeric.Contains(i) ? "<td class=\"num\">" : "<td>");
            if (i == 0)
            {
                _html.Append("<span class=\"swatch\" style=\"background:").Append(color).Append("\"></span>");
            }

            _html.Append(WebUtility.HtmlEncode(cells[i])).Append("</td>");
        }

        _html.Append("</tr>");
        return this;
    }

    public override string ToString() => _html + "</tbody></table>";
}

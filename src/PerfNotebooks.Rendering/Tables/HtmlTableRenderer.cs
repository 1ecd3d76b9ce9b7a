using System.Net;
using System.Text;

namespace PerfNotebooks.Rendering;

/// <summary>Renders a <see cref="TableModel"/> as an HTML table (escaped cells, exact counts on hover).</summary>
public static class HtmlTableRenderer
{
    /// <summary>The table as HTML.</summary>
    public static string Render(TableModel table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var html = new StringBuilder();
        html.Append("<table class=\"perfnb ").Append(table.Name).Append("\"><thead><tr>");
        foreach (var column in table.Columns)
        {
            html.Append(column.Numeric ? "<th class=\"num\">" : "<th>").Append(Encode(column.Header)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var row in table.Rows)
        {
            if (row.Kind == TableRowKind.Rule)
            {
                continue;
            }

            var rowClass = row.Kind switch
            {
                TableRowKind.Subtotal => "subtotal",
                TableRowKind.Total => "total",
                TableRowKind.Problem => "skipped",
                _ => null,
            };
            html.Append(rowClass is null ? "<tr>" : $"<tr class=\"{rowClass}\">");
            for (var i = 0; i < table.Columns.Length; i++)
            {
                var cell = i < row.Cells.Length ? row.Cells[i] : TableCell.Empty;
                html.Append(table.Columns[i].Numeric ? "<td class=\"num\"" : "<td");
                var title = i == 0 ? row.Title : cell.Exact is { } exact && exact != cell.Text ? exact : null;
                if (title is not null)
                {
                    html.Append(" title=\"").Append(Encode(title)).Append('"');
                }

                html.Append('>');
                if (i == 0 && row.Swatch is { } color)
                {
                    html.Append("<span class=\"swatch\" style=\"background:").Append(Encode(color)).Append("\"></span>");
                }

                html.Append(Encode(cell.Text)).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table>");
        foreach (var note in table.Notes)
        {
            html.Append("<p class=\"note\">").Append(Encode(note)).Append("</p>");
        }

        return html.ToString();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}

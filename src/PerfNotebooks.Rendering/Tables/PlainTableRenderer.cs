using System.Text;

namespace PerfNotebooks.Rendering;

/// <summary>
/// Renders a <see cref="TableModel"/> as aligned plain text (numbers right-aligned, a dashed line for rules and
/// before subtotals), from the same rows as <see cref="HtmlTableRenderer"/>: the <c>text/plain</c> form of a table.
/// </summary>
public static class PlainTableRenderer
{
    /// <summary>The table as text, its notes below it.</summary>
    public static string Render(TableModel table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var rows = table.Rows.Select(r => r.Kind == TableRowKind.Rule
            ? null
            : table.Columns.Select((_, i) => i < r.Cells.Length ? r.Cells[i].Text : string.Empty).ToArray()).ToList();
        var widths = table.Columns.Select((c, i) => Math.Max(c.Header.Length, rows.Where(r => r is not null).Select(r => r![i].Length).DefaultIfEmpty(0).Max())).ToArray();
        var text = new StringBuilder();
        Line(table.Columns.Select(c => c.Header).ToArray());
        text.Append(string.Join("  ", widths.Select(w => new string('-', w)))).Append('\n');
        foreach (var row in rows)
        {
            if (row is null)
            {
                text.Append(string.Join("  ", widths.Select(w => new string('-', w)))).Append('\n');
            }
            else
            {
                Line(row);
            }
        }

        foreach (var note in table.Notes)
        {
            text.Append(note).Append('\n');
        }

        return text.ToString();

        void Line(string[] cells)
        {
            var padded = cells.Select((c, i) => table.Columns[i].Numeric ? c.PadLeft(widths[i]) : c.PadRight(widths[i]));
            text.Append(string.Join("  ", padded).TrimEnd()).Append('\n');
        }
    }
}

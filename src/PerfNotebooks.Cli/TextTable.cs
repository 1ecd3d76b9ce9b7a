using System.Text;

namespace PerfNotebooks.Cli;

/// <summary>A plain-text table with aligned columns: text left, numbers right.</summary>
public sealed class TextTable(params string[] headers)
{
    private readonly List<string[]?> _rows = [];

    /// <summary>Columns aligned right (numbers), by index.</summary>
    public HashSet<int> RightAligned { get; } = [];

    /// <summary>Adds a row; missing cells are blank.</summary>
    public TextTable Row(params string[] cells)
    {
        _rows.Add(cells);
        return this;
    }

    /// <summary>Adds a horizontal rule.</summary>
    public TextTable Rule()
    {
        _rows.Add(null);
        return this;
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var widths = headers.Select(h => h.Length).ToArray();
        foreach (var row in _rows.OfType<string[]>())
        {
            for (var i = 0; i < Math.Min(row.Length, widths.Length); i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        var text = new StringBuilder();
        Append(text, headers, widths);
        text.Append(new string('-', widths.Sum() + (2 * (widths.Length - 1)))).Append('\n');
        foreach (var row in _rows)
        {
            if (row is null)
            {
                text.Append(new string('-', widths.Sum() + (2 * (widths.Length - 1)))).Append('\n');
            }
            else
            {
                Append(text, row, widths);
            }
        }

        return text.ToString();
    }

    private void Append(StringBuilder text, string[] cells, int[] widths)
    {
        var line = new StringBuilder();
        for (var i = 0; i < widths.Length; i++)
        {
            var cell = i < cells.Length ? cells[i] : string.Empty;
            if (i > 0)
            {
                line.Append("  ");
            }

            line.Append(RightAligned.Contains(i) ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]));
        }

        text.Append(line.ToString().TrimEnd()).Append('\n');
    }
}

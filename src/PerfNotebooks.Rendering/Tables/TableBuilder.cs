using System.Collections.Immutable;

namespace PerfNotebooks.Rendering;

/// <summary>Builds a <see cref="TableModel"/> row by row.</summary>
public sealed class TableBuilder
{
    private readonly string _name;
    private readonly ImmutableArray<TableColumn> _columns;
    private readonly ImmutableArray<TableRow>.Builder _rows = ImmutableArray.CreateBuilder<TableRow>();
    private readonly ImmutableArray<string>.Builder _notes = ImmutableArray.CreateBuilder<string>();

    /// <summary>Starts a table with these columns.</summary>
    public TableBuilder(string name, params TableColumn[] columns)
    {
        _name = name;
        _columns = [.. columns];
    }

    /// <summary>Adds a body row.</summary>
    public TableBuilder Row(params TableCell[] cells) => Add(TableRowKind.Body, null, null, cells);

    /// <summary>Adds a row of a kind, with an optional swatch colour and hover title.</summary>
    public TableBuilder Add(TableRowKind kind, string? swatch, string? title, params TableCell[] cells)
    {
        _rows.Add(new TableRow(kind, [.. cells], swatch, title));
        return this;
    }

    /// <summary>Adds a rule (unless the table is empty or already ends with one).</summary>
    public TableBuilder Rule()
    {
        if (_rows.Count > 0 && _rows[^1].Kind != TableRowKind.Rule)
        {
            _rows.Add(TableRow.Rule);
        }

        return this;
    }

    /// <summary>Adds a line under the table.</summary>
    public TableBuilder Note(string note)
    {
        _notes.Add(note);
        return this;
    }

    /// <summary>The table.</summary>
    public TableModel Build() => new(_name, _columns, _rows.ToImmutable(), _notes.ToImmutable());
}

using System.Collections.Immutable;

namespace PerfNotebooks.Rendering;

/// <summary>
/// A table built once as rows (header, typed cells with units, subtotal and rule rows) and rendered by the terminal
/// renderer (the CLI, Spectre.Console) and <see cref="HtmlTableRenderer"/> (the report and notebooks) alike.
/// </summary>
/// <param name="Name">A short name, also the HTML class (<c>breakdown</c>, <c>roofline</c>, …).</param>
/// <param name="Columns">The columns.</param>
/// <param name="Rows">The rows in order.</param>
/// <param name="Notes">Lines shown under the table.</param>
public sealed record TableModel(string Name, ImmutableArray<TableColumn> Columns, ImmutableArray<TableRow> Rows, ImmutableArray<string> Notes)
{
    /// <summary>The rows that are not rules.</summary>
    public IEnumerable<TableRow> DataRows => Rows.Where(r => r.Kind != TableRowKind.Rule);
}

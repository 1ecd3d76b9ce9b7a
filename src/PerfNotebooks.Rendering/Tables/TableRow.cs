using System.Collections.Immutable;

namespace PerfNotebooks.Rendering;

/// <summary>One row of a <see cref="TableModel"/>.</summary>
/// <param name="Kind">Body, subtotal, total, rule or problem.</param>
/// <param name="Cells">The cells, one per column (fewer leave the rest blank).</param>
/// <param name="Swatch">A colour for the first cell's swatch (charts use the same), or null.</param>
/// <param name="Title">Hover text for the row, or null.</param>
public sealed record TableRow(TableRowKind Kind, ImmutableArray<TableCell> Cells, string? Swatch = null, string? Title = null)
{
    /// <summary>A rule row.</summary>
    public static TableRow Rule { get; } = new(TableRowKind.Rule, []);
}

namespace PerfNotebooks.Rendering;

/// <summary>A table column: its header and whether it holds numbers (right-aligned).</summary>
/// <param name="Header">The header text.</param>
/// <param name="Numeric">Whether the cells are numbers.</param>
public sealed record TableColumn(string Header, bool Numeric = false);

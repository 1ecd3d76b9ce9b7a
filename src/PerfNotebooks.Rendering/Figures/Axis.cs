namespace PerfNotebooks.Rendering.Figures;

/// <summary>An axis: its title (with unit) and scale.</summary>
/// <param name="Title">Axis title, with the unit.</param>
/// <param name="Log">Logarithmic scale.</param>
/// <param name="TickSuffix">Suffix after tick labels (a unit such as <c>B</c>), or null.</param>
/// <param name="Category">Categorical axis (labels in order, even when they look like numbers).</param>
public sealed record Axis(string Title, bool Log = false, string? TickSuffix = null, bool Category = false);

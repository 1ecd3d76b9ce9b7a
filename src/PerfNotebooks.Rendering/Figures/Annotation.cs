namespace PerfNotebooks.Rendering.Figures;

/// <summary>A text label at a data point.</summary>
/// <param name="X">x in data units.</param>
/// <param name="Y">y in data units.</param>
/// <param name="Text">The label.</param>
/// <param name="Arrow">Draw an arrow to the point.</param>
public sealed record Annotation(double X, double Y, string Text, bool Arrow = true);

namespace PerfNotebooks.Rendering.Figures;

/// <summary>A line drawn in data coordinates (a roof, a ridge marker).</summary>
/// <param name="X0">Start x.</param>
/// <param name="Y0">Start y.</param>
/// <param name="X1">End x.</param>
/// <param name="Y1">End y.</param>
/// <param name="Color">CSS colour.</param>
/// <param name="Dash">Dash style, or null for solid.</param>
public sealed record Shape(double X0, double Y0, double X1, double Y1, string Color, string? Dash = null);

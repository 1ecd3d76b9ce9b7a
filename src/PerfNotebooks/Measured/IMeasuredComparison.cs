namespace PerfNotebooks.Measured;

/// <summary>
/// What was measured held against the model: a <see cref="LogComparison"/>, <see cref="ScrapeComparison"/>,
/// <see cref="BenchmarkComparison"/> or <see cref="TraceComparison"/> (what <c>PerfModel.Measured</c> returns for the
/// input it is given). Only these four implement it.
/// </summary>
public interface IMeasuredComparison;

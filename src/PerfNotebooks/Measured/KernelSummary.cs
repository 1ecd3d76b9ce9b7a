namespace PerfNotebooks.Measured;

/// <summary>One kernel name's total in a trace.</summary>
/// <param name="Name">The kernel's name as the trace gives it.</param>
/// <param name="Category">Its category.</param>
/// <param name="Calls">Launches.</param>
/// <param name="Seconds">GPU seconds over every launch.</param>
public sealed record KernelSummary(string Name, KernelCategory Category, long Calls, double Seconds);

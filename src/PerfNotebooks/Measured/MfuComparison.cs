namespace PerfNotebooks.Measured;

/// <summary>An MFU line beside what it means on the GPU, and beside the physical work of the steps logged in its window.</summary>
/// <param name="Line">The MFU line.</param>
/// <param name="Mfu">Its TF/s ÷ the GPU's dense peak for the model's compute dtype (vLLM's own FLOP count).</param>
/// <param name="Mbu">Its GB/s ÷ the GPU's memory bandwidth.</param>
/// <param name="Steps">Iteration lines of the same engine since its previous MFU line.</param>
/// <param name="PhysicalTeraflopsPerSecond">The physical book's FLOPs of those steps ÷ their logged time, TF/s per GPU; null without steps.</param>
/// <param name="PhysicalGigabytesPerSecond">The physical book's bytes of those steps ÷ their logged time, GB/s per GPU; null without steps.</param>
public sealed record MfuComparison(MfuLine Line, double Mfu, double Mbu, long Steps, double? PhysicalTeraflopsPerSecond, double? PhysicalGigabytesPerSecond);

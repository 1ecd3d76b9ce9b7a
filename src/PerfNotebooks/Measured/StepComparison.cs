namespace PerfNotebooks.Measured;

/// <summary>One logged step beside the model: its measured time, the expected time and roofline bound of the same batch.</summary>
/// <param name="Step">The step as logged.</param>
/// <param name="Expected">The expected time of its batch, per category.</param>
public sealed record StepComparison(MeasuredStep Step, CategoryEstimate Expected)
{
    /// <summary>Measured step time, seconds.</summary>
    public double MeasuredSeconds => Step.ElapsedMilliseconds / 1e3;

    /// <summary>Measured ÷ expected − 1 (positive: slower than expected).</summary>
    public double Gap => Expected.ExpectedSeconds > 0 ? (MeasuredSeconds / Expected.ExpectedSeconds) - 1 : double.NaN;

    /// <summary><c>prefill</c>, <c>decode</c> or <c>mixed</c>.</summary>
    public string Kind => Step.PrefillRequests > 0 ? (Step.DecodeRequests > 0 ? "mixed" : "prefill") : "decode";
}

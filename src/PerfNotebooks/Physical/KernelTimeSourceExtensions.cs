namespace PerfNotebooks.Physical;

/// <summary>Readable names of <see cref="KernelTimeSource"/> values, as tables and plain text show them.</summary>
public static class KernelTimeSourceExtensions
{
    /// <summary>The name shown to a reader: <c>measured</c>, <c>fitted</c> or <c>roofline</c>.</summary>
    public static string DisplayName(this KernelTimeSource source) => source switch
    {
        KernelTimeSource.Measured => "measured",
        KernelTimeSource.Fitted => "fitted",
        KernelTimeSource.Roofline => "roofline",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "not a kernel time source"),
    };
}

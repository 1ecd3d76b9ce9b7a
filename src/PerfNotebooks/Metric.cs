namespace PerfNotebooks;

/// <summary>The three quantities the model counts for a step.</summary>
public enum Metric
{
    /// <summary>Floating-point operations (a multiply-add counts 2).</summary>
    Flops,

    /// <summary>Bytes read from device memory.</summary>
    ReadBytes,

    /// <summary>Bytes written to device memory.</summary>
    WriteBytes,
}

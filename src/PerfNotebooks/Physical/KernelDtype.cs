namespace PerfNotebooks.Physical;

/// <summary>The precision a kernel computes in, as the measured kernel tables name it.</summary>
public enum KernelDtype
{
    /// <summary>16-bit brain float (AIConfigurator <c>bfloat16</c>).</summary>
    BFloat16,

    /// <summary>IEEE half precision (<c>float16</c>).</summary>
    Float16,

    /// <summary>fp8 (e4m3) weights and activations, per-tensor scales (<c>fp8</c>).</summary>
    Fp8,

    /// <summary>fp8 with block scales (<c>fp8_block</c>, DeepSeek-style).</summary>
    Fp8Block,

    /// <summary>4-bit integer weights with 16-bit activations (AWQ, GPTQ: <c>int4_wo</c>, <c>w4a16</c>).</summary>
    Int4WeightOnly,

    /// <summary>NVFP4 weights and activations (Blackwell).</summary>
    Nvfp4,

    /// <summary>MXFP4 weights (gpt-oss).</summary>
    Mxfp4,

    /// <summary>IEEE single precision.</summary>
    Fp32,
}

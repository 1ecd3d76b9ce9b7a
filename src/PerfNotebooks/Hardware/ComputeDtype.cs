namespace PerfNotebooks.Hardware;

/// <summary>The precision a step's matrix math runs in, which picks the GPU's peak FLOP/s.</summary>
public enum ComputeDtype
{
    /// <summary>FP32 (non-tensor).</summary>
    Fp32,

    /// <summary>TF32 tensor cores.</summary>
    Tf32,

    /// <summary>BF16 tensor cores.</summary>
    Bf16,

    /// <summary>FP16 tensor cores.</summary>
    Fp16,

    /// <summary>FP8 tensor cores.</summary>
    Fp8,

    /// <summary>FP4 tensor cores.</summary>
    Fp4,
}

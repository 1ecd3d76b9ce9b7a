using System.Globalization;

namespace PerfNotebooks.Physical;

/// <summary>
/// How a group of weights is stored in memory: bits per weight with the quantization scales and zero points folded
/// in, the precision its GEMMs run in, and whether the format is understood (an unknown format must be reported).
/// </summary>
/// <param name="Name">Short name (<c>bf16</c>, <c>fp8</c>, <c>awq int4 g128</c>, <c>mxfp4</c>, …).</param>
/// <param name="BitsPerWeight">Stored bits per weight, scales and zero points included.</param>
/// <param name="Dtype">The precision the GEMMs on these weights run in.</param>
/// <param name="Understood">False when the format was not recognised and <see cref="BitsPerWeight"/> is a guess.</param>
public readonly record struct WeightFormat(string Name, double BitsPerWeight, KernelDtype Dtype, bool Understood = true)
{
    /// <summary>Bytes that <paramref name="weights"/> weights take in this format.</summary>
    public double Bytes(double weights) => weights * BitsPerWeight / 8;

    /// <summary>Unquantized weights at the model dtype (16 or 32 bits).</summary>
    public static WeightFormat Plain(KernelDtype dtype) => dtype switch
    {
        KernelDtype.Fp32 => new("fp32", 32, dtype),
        KernelDtype.Float16 => new("fp16", 16, dtype),
        _ => new("bf16", 16, KernelDtype.BFloat16),
    };

    /// <summary>
    /// Integer weight-only quantization (AWQ, GPTQ): <paramref name="bits"/> per weight plus, per group of
    /// <paramref name="groupSize"/> weights, a 16-bit scale and (when <paramref name="zeroPoint"/>) a packed zero point
    /// of <paramref name="bits"/> bits. A group size ≤ 0 means one scale per output channel (negligible per weight).
    /// </summary>
    /// <remarks>Layout as AutoAWQ's <c>qweight</c>/<c>scales</c>/<c>qzeros</c> and AutoGPTQ's <c>qweight</c>/<c>scales</c>/<c>qzeros</c> tensors.</remarks>
    public static WeightFormat IntWeightOnly(string method, int bits, int groupSize, bool zeroPoint)
    {
        var perGroup = 16.0 + (zeroPoint ? bits : 0);
        var bitsPerWeight = bits + (groupSize > 0 ? perGroup / groupSize : 0);
        var name = string.Create(CultureInfo.InvariantCulture, $"{method} int{bits} g{(groupSize > 0 ? groupSize : -1)}");
        return new(name, bitsPerWeight, bits <= 4 ? KernelDtype.Int4WeightOnly : KernelDtype.BFloat16);
    }

    /// <summary>fp8 e4m3 weights; block scales (fp32 per 128×128 block) add 32 ÷ 16384 bits per weight.</summary>
    public static WeightFormat Fp8(bool blockScales) =>
        blockScales ? new("fp8 block", 8 + (32.0 / (128 * 128)), KernelDtype.Fp8Block) : new("fp8", 8, KernelDtype.Fp8);

    /// <summary>NVFP4: 4-bit e2m1 weights with one fp8 scale per 16 (NVIDIA ModelOpt's format): 4.5 bits per weight.</summary>
    public static WeightFormat Nvfp4 { get; } = new("nvfp4", 4 + (8.0 / 16), KernelDtype.Nvfp4);

    /// <summary>MXFP4 (OCP microscaling): 4-bit e2m1 weights with one 8-bit power-of-two scale per 32: 4.25 bits per weight.</summary>
    public static WeightFormat Mxfp4 { get; } = new("mxfp4", 4 + (8.0 / 32), KernelDtype.Mxfp4);
}

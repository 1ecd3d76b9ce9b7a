using System.Diagnostics.CodeAnalysis;

namespace PerfNotebooks.Models;

/// <summary>The dtype the model runs in, as vLLM resolves it on a compute-capability 9.0 GPU.</summary>
[SuppressMessage("Naming", "CA1720", Justification = "Float32 is the dtype's own name in torch and vLLM.")]
public enum ModelDtype
{
    /// <summary>bfloat16, 2 bytes.</summary>
    BFloat16,

    /// <summary>float16, 2 bytes.</summary>
    Float16,

    /// <summary>float32, 4 bytes.</summary>
    Float32,
}

/// <summary>Names and sizes of <see cref="ModelDtype"/>.</summary>
public static class ModelDtypeExtensions
{
    /// <summary>Bytes per element.</summary>
    public static int Bytes(this ModelDtype dtype) => dtype == ModelDtype.Float32 ? 4 : 2;

    /// <summary>vLLM's name (<c>bfloat16</c>, <c>float16</c>, <c>float32</c>).</summary>
    public static string VllmName(this ModelDtype dtype) => dtype switch
    {
        ModelDtype.BFloat16 => "bfloat16",
        ModelDtype.Float16 => "float16",
        _ => "float32",
    };

    /// <summary>torch's name, as vLLM's messages print it (<c>torch.bfloat16</c>).</summary>
    public static string TorchName(this ModelDtype dtype) => "torch." + dtype.VllmName();
}

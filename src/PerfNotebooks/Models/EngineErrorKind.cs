namespace PerfNotebooks.Models;

/// <summary>Why vLLM refuses a configuration before any perf-model component exists.</summary>
public enum EngineErrorKind
{
    /// <summary><c>dtype</c> is not one vLLM knows.</summary>
    UnknownDtype,

    /// <summary>The model type is numerically unstable in float16.</summary>
    Float16NotSupportedForModel,

    /// <summary>The <c>quantization</c> setting differs from the checkpoint's method.</summary>
    QuantizationMismatch,

    /// <summary>The quantization method is not one vLLM knows.</summary>
    UnknownQuantizationMethod,

    /// <summary>The model dtype is not an activation dtype the quantization method supports.</summary>
    DtypeNotSupportedByQuantization,

    /// <summary>The attention heads do not divide by the tensor-parallel size.</summary>
    HeadsNotDivisibleByTp,

    /// <summary>Expert parallelism was asked for on a model without experts.</summary>
    ExpertParallelWithoutExperts,

    /// <summary><c>kv_cache_dtype</c> is not one vLLM accepts.</summary>
    InvalidKvCacheDtype,

    /// <summary>A parallel size is zero or negative.</summary>
    InvalidParallelSize,
}

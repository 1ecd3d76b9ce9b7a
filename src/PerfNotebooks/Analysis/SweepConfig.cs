namespace PerfNotebooks.Analysis;

/// <summary>One engine configuration of a sweep: model, GPU and settings, built once and shared by its rows.</summary>
public sealed class SweepConfig
{
    internal SweepConfig(string model, string gpu, EngineSettings engine, StepEstimator? estimator, MemoryPlan? memory, string? error)
    {
        Model = model;
        Gpu = gpu;
        Engine = engine;
        Estimator = estimator;
        Memory = memory;
        Error = error;
        TokensThatFit = memory?.TokensThatFit ?? 0;
        MemoryFits = memory is { Fits: true };
    }

    /// <summary><see cref="MemoryPlan.TokensThatFit"/> of <see cref="Memory"/>, computed once (0 without a plan).</summary>
    // The physical book's step model, beside the vLLM book's Estimator: the expected time and bound of every row.
    internal Physical.StepModel? Steps { get; init; }

    internal long TokensThatFit { get; }

    /// <summary>Whether <see cref="Memory"/> leaves room for a KV cache.</summary>
    internal bool MemoryFits { get; }

    /// <summary>The model as named in the spec.</summary>
    public string Model { get; }

    /// <summary>The GPU as named in the spec.</summary>
    public string Gpu { get; }

    /// <summary>The engine settings.</summary>
    public EngineSettings Engine { get; }

    /// <summary>The estimator, or null when the configuration is invalid.</summary>
    public StepEstimator? Estimator { get; }

    /// <summary>The memory plan (no context length), or null when invalid.</summary>
    public MemoryPlan? Memory { get; }

    /// <summary>Why the configuration is invalid (vLLM's rejection, a missing component), or null.</summary>
    public string? Error { get; }
}

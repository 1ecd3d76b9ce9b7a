namespace PerfNotebooks.Analysis;

/// <summary>How requests arrive in a serving simulation.</summary>
public enum ServeMode
{
    /// <summary>A static batch: every request starts together with the same lengths (vLLM's latency benchmark, TensorRT-LLM static batching).</summary>
    StaticBatch,

    /// <summary>A closed loop at fixed concurrency: a finished request is replaced by a new one at once.</summary>
    ClosedLoop,
}

namespace PerfNotebooks.Measured;

/// <summary>How a profiler trace's steps are found.</summary>
public sealed record TraceReadOptions
{
    /// <summary>Steps from <c>ProfilerStep#N</c>, else vLLM's <c>gpu_model_runner: forward</c>.</summary>
    public static TraceReadOptions Default { get; } = new();

    /// <summary>An annotation name (or name prefix) that marks one engine step, tried before the defaults; null: the defaults only.</summary>
    public string? StepAnnotation { get; init; }
}

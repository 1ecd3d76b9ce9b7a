namespace PerfNotebooks.Vllm.Profiling;

/// <summary>The outcome of validating a profiler config.</summary>
/// <param name="Config">The normalised config, or null when rejected.</param>
/// <param name="Warning">Whether vLLM's "may result in high overhead" warning is emitted (it comes before the directory checks, so a rejected config can carry it).</param>
/// <param name="Error">The rejection, or null.</param>
public sealed record ProfilerValidation(ProfilerConfig? Config, bool Warning, ProfilerError? Error)
{
    /// <summary>vLLM's warning text.</summary>
    public const string WarningText =
        "Using 'torch' profiler with delay_iterations or max_iterations while ignore_frontend is False may result in high overhead.";

    /// <summary>Whether the config was accepted.</summary>
    public bool Ok => Error is null;
}

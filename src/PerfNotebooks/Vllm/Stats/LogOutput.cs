using System.Collections.Immutable;

namespace PerfNotebooks.Vllm.Stats;

/// <summary>What one call of the MFU logger emitted.</summary>
/// <param name="Messages">Messages passed to the log function (<c>MFU: 44.3 TF/s/device 19.2 GB/s/device</c>).</param>
/// <param name="DebugMessages">Messages of the debug log (<c>MFU details: {…}</c>).</param>
/// <param name="Error">vLLM's error at this point (<c>ZeroDivisionError</c>), or null; ours does not throw.</param>
/// <param name="Note">Why part of the output was skipped, in words, or null.</param>
public sealed record LogOutput(ImmutableArray<string> Messages, ImmutableArray<string> DebugMessages, string? Error, string? Note)
{
    /// <summary>Nothing was logged (nothing was observed).</summary>
    public static LogOutput Nothing { get; } = new([], [], null, null);

    /// <summary>Where vLLM raised <see cref="Error"/> (<c>observe</c>), or null.</summary>
    public string? ErrorPhase { get; init; }

    /// <summary>The step (0-based) whose observation raised, or null.</summary>
    public int? ErrorStep { get; init; }

    /// <summary>vLLM's exception message, or null.</summary>
    public string? ErrorMessage { get; init; }
}

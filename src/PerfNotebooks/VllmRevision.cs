using System.Diagnostics.CodeAnalysis;

namespace PerfNotebooks;

/// <summary>
/// A revision of vLLM's perf model (<c>vllm/v1/metrics/perf.py</c>) and of the config resolution around it, whose
/// accounting this library reproduces: <see cref="V2025_12"/> (vLLM PR #30738, the revision first ported) or
/// <see cref="V2026_09"/> (upstream commit <c>00cee63e04bf5b7dbaa5f08d6e4360f28777fdc3</c>, alias <c>latest</c>).
/// </summary>
/// <remarks>
/// A revision selects a component registry (<see cref="Vllm.Components.ComponentRegistry.For"/>) and the config rules of
/// the vLLM of its time; formulas never branch on it.
/// </remarks>
public readonly record struct VllmRevision
{
    private VllmRevision(int ordinal) => Ordinal = ordinal;

    /// <summary>December 2025: attention, FFN and unembedding, activations always 2 bytes, fp8/mxfp4 only.</summary>
    [SuppressMessage("Naming", "CA1707", Justification = "The revision's name is its date, 2025-12.")]
    public static VllmRevision V2025_12 { get; } = new(0);

    /// <summary>
    /// September 2026 (upstream commit <c>00cee63e</c>): MLA attention, sliding windows, fractional pipeline layer
    /// counts in IEEE doubles, the quantization table, logits tokens, activation bytes from the dtype, Prometheus counters.
    /// </summary>
    [SuppressMessage("Naming", "CA1707", Justification = "The revision's name is its date, 2026-09.")]
    public static VllmRevision V2026_09 { get; } = new(1);

    /// <summary>The newest revision ported (<c>latest</c>): <see cref="V2026_09"/>.</summary>
    public static VllmRevision Latest => V2026_09;

    /// <summary>The revision used when none is chosen: today's upstream, <see cref="V2026_09"/>.</summary>
    public static VllmRevision Default => V2026_09;

    /// <summary>Every revision, oldest first.</summary>
    public static IReadOnlyList<VllmRevision> All { get; } = [V2025_12, V2026_09];

    /// <summary>0 for the oldest revision, increasing.</summary>
    public int Ordinal { get; }

    /// <summary>Parses <c>2025-12</c>, <c>2026-09</c> or <c>latest</c> (case-insensitive, surrounding spaces ignored).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out VllmRevision revision)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "2025-12":
                revision = V2025_12;
                return true;
            case "2026-09" or "latest":
                revision = V2026_09;
                return true;
            default:
                revision = default;
                return false;
        }
    }

    /// <summary>Parses a revision name.</summary>
    /// <exception cref="FormatException">The text is not <c>2025-12</c>, <c>2026-09</c> or <c>latest</c>.</exception>
    public static VllmRevision Parse(string text) => TryParse(text, out var revision)
        ? revision
        : throw new FormatException($"unknown vLLM revision '{text}': use 2025-12, 2026-09 or latest");

    /// <summary>The canonical name: <c>2025-12</c> or <c>2026-09</c>.</summary>
    public override string ToString() => Ordinal == 0 ? "2025-12" : "2026-09";
}

using System.Collections.Immutable;

namespace PerfNotebooks.Interactive;

/// <summary>One <c>#!perf</c> subcommand: name, help and parameters.</summary>
/// <param name="Name">The subcommand (<c>step</c>).</param>
/// <param name="Description">What it shows.</param>
/// <param name="Parameters">Its parameters.</param>
public sealed record MagicSubcommand(string Name, string Description, ImmutableArray<MagicParameter> Parameters);

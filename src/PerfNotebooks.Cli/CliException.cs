namespace PerfNotebooks.Cli;

/// <summary>A usage error: one line saying what is wrong and what is accepted.</summary>
internal sealed class CliException(string message) : Exception(message);

namespace PerfNotebooks.Interactive;

/// <summary>A wrong <c>#!perf</c> option or value: one message naming it and what is accepted.</summary>
public sealed class PerfMagicException(string message, Exception? inner = null) : Exception(message, inner);

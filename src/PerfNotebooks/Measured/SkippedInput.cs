namespace PerfNotebooks.Measured;

/// <summary>A piece of input a reader could not use, with why: a line cut short, a metric it does not know, a trace
/// event without a time.</summary>
/// <param name="Source">The file (or stream name).</param>
/// <param name="Line">Line number (1-based), or 0 when the input has no lines.</param>
/// <param name="Reason">Why it was skipped, in one line.</param>
public sealed record SkippedInput(string Source, long Line, string Reason)
{
    /// <inheritdoc />
    public override string ToString() => Line > 0 ? $"{Source}:{Line}: {Reason}" : $"{Source}: {Reason}";

    // A parser's message quotes the bytes it stopped at, which may be binary: one printable line, clipped.
    internal static string OneLine(string text, int maxChars = 80)
    {
        var printable = string.Concat(text.Select(c => char.IsControl(c) || c == '\uFFFD' ? ' ' : c));
        return printable.Length <= maxChars ? printable : printable[..(maxChars - 3)] + "...";
    }
}

namespace PerfNotebooks.Cli;

/// <summary>One command-line option: its name, the value it takes (null for a flag) and its help.</summary>
public sealed record OptionSpec(string Name, string? Value, string Help, bool Repeatable = false, char? Alias = null)
{
    /// <summary>Whether the option is a flag (takes no value).</summary>
    public bool IsFlag => Value is null;
}

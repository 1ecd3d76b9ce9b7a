namespace PerfNotebooks.Cli;

/// <summary>One <c>perfnb</c> subcommand.</summary>
public interface ICommand
{
    /// <summary>The subcommand's name.</summary>
    string Name { get; }

    /// <summary>One line for the command list.</summary>
    string Summary { get; }

    /// <summary>The usage line.</summary>
    string Usage { get; }

    /// <summary>The options it takes.</summary>
    IReadOnlyList<OptionSpec> Options { get; }

    /// <summary>Runs with parsed options; returns the exit code.</summary>
    int Run(ParsedOptions options, TextWriter output);
}

using PerfNotebooks.Requests;

namespace PerfNotebooks.Interactive;

/// <summary>One parameter of a <c>#!perf</c> subcommand: an option of the core's request model, as extension.dib registers it.</summary>
/// <param name="Option">The request-model option: its name, help, default and its one parser, shared with the CLI.</param>
/// <param name="Implicit">May be given without its name (one per subcommand).</param>
/// <param name="Required">Must be given.</param>
public sealed record MagicParameter(IRequestOption Option, bool Implicit = false, bool Required = false)
{
    /// <summary>The parameter as typed (<c>--tp</c>).</summary>
    public string Name => "--" + Option.Name;

    /// <summary>Help text, with the accepted values and the default.</summary>
    public string Description => Option.Description;

    /// <summary>Takes no value.</summary>
    public bool Flag => Option.IsFlag;

    /// <summary>Values offered as completions, or null.</summary>
    public Func<IEnumerable<string>>? Completions => Option.Suggestions.Count == 0 ? null : () => Option.Suggestions;
}

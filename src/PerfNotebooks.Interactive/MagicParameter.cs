namespace PerfNotebooks.Interactive;

/// <summary>One parameter of a <c>#!perf</c> subcommand, as extension.dib registers it with the kernel.</summary>
/// <param name="Name">The parameter (<c>--tp</c>).</param>
/// <param name="Description">Help text, with the accepted values.</param>
/// <param name="Implicit">May be given without its name (one per subcommand).</param>
/// <param name="Required">Must be given.</param>
/// <param name="Flag">Takes no value.</param>
/// <param name="Completions">Values offered as completions, or null.</param>
public sealed record MagicParameter(
    string Name, string Description, bool Implicit = false, bool Required = false, bool Flag = false, Func<IEnumerable<string>>? Completions = null)
{
    /// <summary>The property name the kernel deserialises this parameter into (<c>--kv-cache-dtype</c> → <c>KvCacheDtype</c>).</summary>
    public string PropertyName => string.Concat(Name.TrimStart('-').Split('-').Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
}

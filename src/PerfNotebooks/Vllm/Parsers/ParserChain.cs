using System.Collections.Immutable;
using PerfNotebooks.Models;

namespace PerfNotebooks.Vllm.Parsers;

/// <summary>An immutable, ordered chain of parsers; later parsers override earlier ones, and a skip stops the chain.</summary>
internal sealed class ParserChain
{
    /// <summary>Creates a chain from parsers in order.</summary>
    public ParserChain(params ImmutableArray<IConfigParser> parsers)
    {
        Parsers = parsers;
    }

    /// <summary>The parsers, in order.</summary>
    public ImmutableArray<IConfigParser> Parsers { get; }

    /// <summary>Runs every parser in order from empty args.</summary>
    /// <exception cref="ModelConfigException">A parser met a value vLLM would crash on.</exception>
    public ParsedArgs Parse(ModelSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var args = ParsedArgs.Empty;
        foreach (var parser in Parsers)
        {
            args = parser.Parse(args, source);
            if (args.Skip is not null)
            {
                break;
            }
        }

        return args;
    }
}

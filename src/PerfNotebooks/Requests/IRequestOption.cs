namespace PerfNotebooks.Requests;

/// <summary>One option of the request model, without its value type: what help, completion and the CLI declare.</summary>
public interface IRequestOption
{
    /// <summary>The option's name without dashes, as the CLI and <c>#!perf</c> spell it: <c>tp</c>, <c>kv-cache-dtype</c>.</summary>
    string Name { get; }

    /// <summary>What the value looks like, for help: <c>N</c>, <c>TOKENS[:CONTEXT][xCOUNT]</c>; null for a flag.</summary>
    string? ValueHint { get; }

    /// <summary>Other names the option answers to, without dashes (<c>random-input-len</c>, vllm bench serve's spelling
    /// of <c>input-len</c>); empty for most.</summary>
    IReadOnlyList<string> Aliases { get; }

    /// <summary>One line of help, with the default.</summary>
    string Description { get; }

    /// <summary>Whether the option takes no value.</summary>
    bool IsFlag { get; }

    /// <summary>Whether the option may be given more than once (its values then add up).</summary>
    bool AllowsMany { get; }

    /// <summary>Whether one occurrence may take several space-separated values, as vllm bench serve's
    /// <c>--goodput ttft:500 tpot:50</c> does (implies <see cref="AllowsMany"/>).</summary>
    bool TakesSeveralValues { get; }

    /// <summary>Values to offer in completions (dtypes, GPU names); empty when free-form.</summary>
    IReadOnlyList<string> Suggestions { get; }

    /// <summary>Parses every occurrence's text (null for a flag given bare) into the option's value, boxed.</summary>
    bool TryParseAny(IReadOnlyList<string?> texts, out object? value, out string message);

    /// <summary>Calls <paramref name="visitor"/> with the typed option.</summary>
    TResult Accept<TResult>(IRequestOptionVisitor<TResult> visitor);
}

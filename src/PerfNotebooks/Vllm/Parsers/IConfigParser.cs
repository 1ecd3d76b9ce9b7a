using PerfNotebooks.Models;

namespace PerfNotebooks.Vllm.Parsers;

/// <summary>One step of a parser chain: reads part of a resolved model config into the args, as vLLM's <c>Parser</c>.</summary>
internal interface IConfigParser
{
    /// <summary>Returns <paramref name="args"/> with this parser's fields set (or <see cref="ParsedArgs.Skip"/>).</summary>
    /// <exception cref="ModelConfigException">A value the parser computes with is malformed (vLLM would crash).</exception>
    ParsedArgs Parse(ParsedArgs args, ModelSource source);
}

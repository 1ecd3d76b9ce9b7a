using PerfNotebooks.Models;

namespace PerfNotebooks.Vllm.Parsers;

/// <summary>
/// Base model fields as vLLM 2026-09's <c>BaseConfigParser</c>: those of <see cref="BaseConfigParser"/>, with
/// activations at the model dtype's element size (4 bytes for float32) instead of a fixed 2.
/// </summary>
internal sealed class ModelDtypeBaseConfigParser : IConfigParser
{
    private static readonly BaseConfigParser Base = new();

    /// <inheritdoc />
    public ParsedArgs Parse(ParsedArgs args, ModelSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var parsed = Base.Parse(args, source);
        return parsed.Skip is null ? parsed with { ActivationByteSize = source.Dtype.Bytes() } : parsed;
    }
}

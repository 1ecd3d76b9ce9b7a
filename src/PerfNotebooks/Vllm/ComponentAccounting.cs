using PerfNotebooks.Vllm.Parsers;

namespace PerfNotebooks.Vllm;

/// <summary>
/// What one vLLM revision does differently in one component: at least the parsers that fill it. Each component's
/// subclass adds the rest (<see cref="AttentionAccounting"/>, <see cref="FfnAccounting"/>, <see cref="UnembedAccounting"/>).
/// </summary>
internal abstract class ComponentAccounting
{
    private readonly string _revision;

    /// <summary>Names the revision (<c>2025-12</c>, <c>2026-09</c>) and its parsers.</summary>
    protected ComponentAccounting(string revision, ParserChain parsers)
    {
        _revision = revision;
        Parsers = parsers;
    }

    /// <summary>The parsers that fill the component, in order.</summary>
    public ParserChain Parsers { get; }

    /// <summary>The revision's name: <c>2025-12</c> or <c>2026-09</c>.</summary>
    public override string ToString() => _revision;

    /// <summary>Picks <paramref name="latest"/> from revision 2026-09 on, else <paramref name="oldest"/>.</summary>
    protected static T Pick<T>(VllmRevision revision, T oldest, T latest) =>
        revision.Ordinal >= VllmRevision.V2026_09.Ordinal ? latest : oldest;
}

using PerfNotebooks.Internal;

namespace PerfNotebooks;

/// <summary>One line of a breakdown: a named count (FLOPs or bytes, as the breakdown says).</summary>
/// <param name="Key">The term's component and name.</param>
/// <param name="Value">The exact count.</param>
public readonly record struct Term(TermKey Key, Int128 Value)
{
    /// <summary>The term's name within its component (<c>qkv_proj</c>).</summary>
    public string Name => Key.Name;

    /// <summary>The component-prefixed key (<c>attn.qkv_proj</c>).</summary>
    public string Qualified => Key.Qualified;

    /// <summary>The component the term belongs to.</summary>
    public string Component => Key.Component;
}

using PerfNotebooks.Internal;

namespace PerfNotebooks;

/// <summary>One line of a breakdown: a named count (FLOPs or bytes, as the breakdown says).</summary>
public readonly record struct Term
{
    internal Term(TermKey key, Int128 value)
    {
        Key = key;
        Value = value;
    }

    /// <summary>The exact count.</summary>
    public Int128 Value { get; }

    /// <summary>The term's component and name.</summary>
    internal TermKey Key { get; }

    /// <summary>The term's name within its component (<c>qkv_proj</c>).</summary>
    public string Name => Key.Name;

    /// <summary>The component-prefixed key (<c>attn.qkv_proj</c>).</summary>
    public string Qualified => Key.Qualified;

    /// <summary>The component the term belongs to.</summary>
    public string Component => Key.Component;
}

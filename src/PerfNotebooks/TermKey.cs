namespace PerfNotebooks.Internal;

/// <summary>
/// The name of one breakdown term: its component (<c>attn</c>) and term (<c>qkv_proj</c>), with the prefixed key
/// (<c>attn.qkv_proj</c>) built once, so evaluating a breakdown allocates no strings.
/// </summary>
public sealed class TermKey
{
    /// <summary>Creates a key for <paramref name="name"/> in <paramref name="component"/>.</summary>
    /// <exception cref="ArgumentException">A part is empty.</exception>
    public TermKey(string component, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(component);
        ArgumentException.ThrowIfNullOrEmpty(name);
        Component = component;
        Name = name;
        Qualified = component + "." + name;
        Operation = Operations.Of(component, name);
    }

    /// <summary>The kernel this term belongs to (see <see cref="Operations"/>).</summary>
    public int Operation { get; }

    /// <summary>The component (<c>attn</c>, <c>ffn</c>, <c>unembed</c>).</summary>
    public string Component { get; }

    /// <summary>The term's name within its component, in vLLM's snake_case (<c>qkv_proj</c>).</summary>
    public string Name { get; }

    /// <summary>The component-prefixed key vLLM's <c>ModelMetrics</c> uses (<c>attn.qkv_proj</c>).</summary>
    public string Qualified { get; }

    /// <inheritdoc />
    public override string ToString() => Qualified;
}

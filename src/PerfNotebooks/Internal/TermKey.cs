using System.Threading;

namespace PerfNotebooks.Internal;

/// <summary>
/// The name of one breakdown term: its component (<c>attn</c>) and term (<c>qkv_proj</c>), with the prefixed key
/// (<c>attn.qkv_proj</c>) built once, so evaluating a breakdown allocates no strings.
/// </summary>
internal sealed class TermKey
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
        lock (Gate)
        {
            Id = _all.Length;
            _all = [.. _all, this];
        }
    }

    // Implementation note: a TermBuffer stores term ids, not references, so it holds no GC pointer and a method can
    // skip zeroing its kilobyte of storage. Keys are static fields of the components: the list stays small.
    private static readonly Lock Gate = new();
    private static TermKey[] _all = [];

    /// <summary>A process-wide number of this key, in creation order.</summary>
    internal int Id { get; }

    /// <summary>The key numbered <paramref name="id"/>.</summary>
    internal static TermKey FromId(int id) => Volatile.Read(ref _all)[id];

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

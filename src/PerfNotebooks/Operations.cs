using System.Collections.Immutable;

namespace PerfNotebooks;

/// <summary>
/// The kernels a step's terms belong to: a FLOP term and the byte terms of the same kernel add up to one roofline
/// operation (QKV projection, attention core, output projection, dense/routed/shared FFN, unembedding).
/// </summary>
public static class Operations
{
    /// <summary>Operation names by id.</summary>
    public static ImmutableArray<string> Names { get; } =
        ["attn.qkv", "attn.attention", "attn.out", "ffn.dense", "ffn.routed", "ffn.shared", "unembed", "other"];

    /// <summary>Number of operations.</summary>
    public static int Count => Names.Length;

    /// <summary>The operation id of a term: attention terms by their first word (<c>qkv</c>, <c>attn</c>/<c>kv</c>, <c>out</c>), FFN terms by theirs (<c>dense</c>, <c>routed</c>, <c>shared</c>), every unembedding term to <c>unembed</c>.</summary>
    public static int Of(string component, string name)
    {
        ArgumentNullException.ThrowIfNull(component);
        ArgumentNullException.ThrowIfNull(name);
        var head = name.Split('_')[0];
        return (component, head) switch
        {
            ("attn", "qkv") => 0,
            ("attn", "attn" or "kv") => 1,
            ("attn", "out") => 2,
            ("mla_attn", _) when name == "kv_cache" => 1,
            ("mla_attn", "q" or "kv") => 0,
            ("mla_attn", "attn") => 1,
            ("mla_attn", "out") => 2,
            ("ffn", "dense") => 3,
            ("ffn", "routed") => 4,
            ("ffn", "shared") => 5,
            ("unembed", _) => 6,
            _ => 7,
        };
    }
}

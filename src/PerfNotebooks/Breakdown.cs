using System.Collections;
using System.Collections.Immutable;

namespace PerfNotebooks;

/// <summary>
/// An ordered list of terms with their exact total: FLOPs, read bytes or write bytes of a component or a model.
/// Order follows vLLM's dictionaries (component order, then formula order). Equality compares the terms in order.
/// </summary>
public sealed class Breakdown : IReadOnlyList<Term>, IEquatable<Breakdown>
{
    /// <summary>An empty breakdown.</summary>
    public static Breakdown Empty { get; } = new([]);

    /// <summary>Creates a breakdown from terms in order; the total is their checked sum.</summary>
    /// <exception cref="OverflowException">The sum does not fit in 128 bits.</exception>
    public Breakdown(ImmutableArray<Term> terms)
    {
        Terms = terms.IsDefault ? [] : terms;
        Int128 total = 0;
        foreach (var term in Terms)
        {
            total = checked(total + term.Value);
        }

        Total = total;
    }

    internal Breakdown(ImmutableArray<Term> terms, Int128 total)
    {
        Terms = terms;
        Total = total;
    }

    /// <summary>The terms, in model order.</summary>
    public ImmutableArray<Term> Terms { get; }

    /// <summary>The exact sum of the terms.</summary>
    public Int128 Total { get; }

    /// <inheritdoc />
    public int Count => Terms.Length;

    /// <inheritdoc />
    public Term this[int index] => Terms[index];

    /// <summary>The value of the term with this qualified key (<c>attn.qkv_proj</c>) or bare name (<c>qkv_proj</c>).</summary>
    /// <exception cref="KeyNotFoundException">No term has that key.</exception>
    public Int128 this[string key] => TryGet(key, out var value)
        ? value
        : throw new KeyNotFoundException($"No term '{key}' in this breakdown; terms are: {string.Join(", ", Terms.Select(t => t.Qualified))}.");

    /// <summary>Looks a term up by qualified key or bare name.</summary>
    public bool TryGet(string key, out Int128 value)
    {
        foreach (var term in Terms)
        {
            if (term.Qualified == key || term.Name == key)
            {
                value = term.Value;
                return true;
            }
        }

        value = 0;
        return false;
    }

    /// <summary>Whether a term with this qualified key or bare name is present.</summary>
    public bool Contains(string key) => TryGet(key, out _);

    /// <summary>The terms of one component, in order.</summary>
    public Breakdown ForComponent(string component) =>
        new([.. Terms.Where(t => t.Component == component)]);

    /// <summary>Component subtotals in order of first appearance.</summary>
    public ImmutableArray<(string Component, Int128 Total)> ComponentTotals()
    {
        var builder = ImmutableArray.CreateBuilder<(string, Int128)>();
        foreach (var group in Terms.GroupBy(t => t.Component))
        {
            Int128 sum = 0;
            foreach (var term in group)
            {
                sum = checked(sum + term.Value);
            }

            builder.Add((group.Key, sum));
        }

        return builder.ToImmutable();
    }

    /// <inheritdoc />
    public IEnumerator<Term> GetEnumerator() => ((IEnumerable<Term>)Terms).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public bool Equals(Breakdown? other) =>
        other is not null && Terms.Length == other.Terms.Length &&
        Terms.Zip(other.Terms).All(p => p.First.Qualified == p.Second.Qualified && p.First.Value == p.Second.Value);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Breakdown);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Terms.Length, Total);

    /// <inheritdoc />
    public override string ToString() => string.Join(", ", Terms.Select(t => $"{t.Qualified}={t.Value}"));
}

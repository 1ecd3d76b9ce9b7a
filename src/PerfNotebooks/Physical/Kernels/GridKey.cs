namespace PerfNotebooks.Physical.Kernels;

/// <summary>The discrete part of a measured kernel's shape (dtype codes, sizes), up to eight values; unused slots are 0.</summary>
internal readonly record struct GridKey(long A, long B = 0, long C = 0, long D = 0, long E = 0, long F = 0, long G = 0, long H = 0)
{
    public const int Slots = 8;

    public long this[int i] => i switch
    {
        0 => A,
        1 => B,
        2 => C,
        3 => D,
        4 => E,
        5 => F,
        6 => G,
        _ => H,
    };

    public static GridKey From(ReadOnlySpan<long> v) => new(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
}

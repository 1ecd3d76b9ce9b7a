namespace PerfNotebooks.Serving;

/// <summary>A ring buffer of request indices with room for every request: the engine's waiting queue, where
/// preempted requests go back to the front.</summary>
internal sealed class Deque(int capacity)
{
    private readonly int[] _items = new int[Math.Max(1, capacity)];
    private int _head;

    public int Count { get; private set; }

    public int First => _items[_head];

    public void AddLast(int value)
    {
        _items[(_head + Count) % _items.Length] = value;
        Count++;
    }

    public void AddFirst(int value)
    {
        _head = (_head - 1 + _items.Length) % _items.Length;
        _items[_head] = value;
        Count++;
    }

    public void RemoveFirst()
    {
        _head = (_head + 1) % _items.Length;
        Count--;
    }
}

namespace FaceCluster.Engine.Clustering;

/// <summary>A growable int array without List's bounds and version checks on each add.</summary>
internal sealed class IntBuffer(int capacity = 1024)
{
    private int[] _items = new int[Math.Max(capacity, 4)];

    public int Count { get; private set; }

    public ReadOnlySpan<int> Span => _items.AsSpan(0, Count);

    public void Add(int a, int b)
    {
        if (Count + 2 > _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count] = a;
        _items[Count + 1] = b;
        Count += 2;
    }

    public void Clear() => Count = 0;
}

using Parquet;
using Parquet.Schema;
using PerfNotebooks.Models;

namespace PerfNotebooks.Physical.Kernels;

/// <summary>Named columns of one AIConfigurator parquet file, read whole into typed arrays.</summary>
/// <remarks>Implementation note: Parquet.Net's row-group <c>ReadAsync</c> into typed arrays reads these files; its untyped
/// serializer does not. Strings arrive as UTF-8 (<c>ReadOnlyMemory&lt;char&gt;</c> in the schema), integers as Int64.</remarks>
internal sealed class ParquetColumns
{
    private readonly Dictionary<string, long[]> _longs = [];
    private readonly Dictionary<string, string?[]> _strings = [];

    private ParquetColumns(string path, int rows)
    {
        Path = path;
        Rows = rows;
    }

    public string Path { get; }

    public int Rows { get; }

    public double[] Latency { get; private set; } = [];

    public long[] Long(string name) => _longs[name];

    public string?[] Text(string name) => _strings[name];

    /// <summary>Reads <paramref name="longColumns"/>, <paramref name="textColumns"/> and <c>latency</c>; a long column
    /// named with a trailing <c>?</c> is optional and reads as zeros where the file lacks it (older tables have no
    /// <c>window_size</c>).</summary>
    /// <exception cref="ModelConfigException">The file or a column is missing or of another type; names both.</exception>
    public static ParquetColumns Read(string path, IReadOnlyList<string> longColumns, IReadOnlyList<string> textColumns)
    {
        if (!File.Exists(path))
        {
            throw new ModelConfigException(path, null, "measured kernel table not found (expected AIConfigurator's systems/data/<gpu>/<op>/<framework>/<version>/ layout)");
        }

        try
        {
            return ReadAsync(path, longColumns, textColumns).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            throw new ModelConfigException(path, null, "is not a readable parquet file: " + e.Message, e);
        }
    }

    private static async Task<ParquetColumns> ReadAsync(string path, IReadOnlyList<string> longColumns, IReadOnlyList<string> textColumns)
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream).ConfigureAwait(false);
        var fields = reader.Schema.GetDataFields().ToDictionary(f => f.Name, StringComparer.Ordinal);
        DataField Field(string name, params Type[] types) =>
            fields.TryGetValue(name, out var f)
                ? types.Contains(f.ClrType) ? f : throw new ModelConfigException(path, name, $"column is {f.ClrType.Name}, expected {types[0].Name}")
                : throw new ModelConfigException(path, name, "column missing from the measured kernel table");

        var longFields = longColumns.Where(c => !c.EndsWith('?') || fields.ContainsKey(c.TrimEnd('?'))).Select(c => Field(c.TrimEnd('?'), typeof(long))).ToArray();
        var textFields = textColumns.Select(c => Field(c, typeof(ReadOnlyMemory<char>), typeof(string))).ToArray();
        var latencyField = Field("latency", typeof(double));
        var total = 0L;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            total += group.RowCount;
        }

        var result = new ParquetColumns(path, checked((int)total)) { Latency = new double[total] };
        foreach (var c in longColumns)
        {
            result._longs[c.TrimEnd('?')] = new long[total];
        }

        foreach (var f in textFields)
        {
            result._strings[f.Name] = new string?[total];
        }

        var offset = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var n = checked((int)group.RowCount);
            foreach (var f in longFields)
            {
                await ReadLongs(group, f, result._longs[f.Name].AsMemory(offset, n), path).ConfigureAwait(false);
            }

            foreach (var f in textFields)
            {
                await group.ReadAsync(f, result._strings[f.Name].AsMemory(offset, n)).ConfigureAwait(false);
            }

            await ReadDoubles(group, latencyField, result.Latency.AsMemory(offset, n), path).ConfigureAwait(false);
            offset += n;
        }

        return result;
    }

    private static async Task ReadLongs(ParquetRowGroupReader group, DataField f, Memory<long> into, string path)
    {
        if (!f.IsNullable)
        {
            await group.ReadAsync(f, into).ConfigureAwait(false);
            return;
        }

        var nullable = new long?[into.Length];
        await group.ReadAsync(f, nullable.AsMemory()).ConfigureAwait(false);
        for (var i = 0; i < nullable.Length; i++)
        {
            into.Span[i] = nullable[i] ?? throw new ModelConfigException(path, f.Name, $"row {i} is null");
        }
    }

    private static async Task ReadDoubles(ParquetRowGroupReader group, DataField f, Memory<double> into, string path)
    {
        if (!f.IsNullable)
        {
            await group.ReadAsync(f, into).ConfigureAwait(false);
            return;
        }

        var nullable = new double?[into.Length];
        await group.ReadAsync(f, nullable.AsMemory()).ConfigureAwait(false);
        for (var i = 0; i < nullable.Length; i++)
        {
            into.Span[i] = nullable[i] ?? throw new ModelConfigException(path, f.Name, $"row {i} is null");
        }
    }
}

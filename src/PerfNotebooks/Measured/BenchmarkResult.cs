using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace PerfNotebooks.Measured;

/// <summary>
/// A serving benchmark's result in <c>vllm bench serve</c>'s field names, read from the JSON that
/// <c>vllm bench serve --save-result</c> writes or from aiperf's <c>profile_export_aiperf.json</c>, with the client
/// settings a replay needs (prompts, input and output lengths, concurrency, request rate).
/// </summary>
/// <remarks>
/// vLLM: the <c>result</c> dict of <c>benchmark()</c> and the keys <c>main</c> adds (<c>vllm/benchmarks/serve.py</c>, v0.10
/// on; <c>benchmarks/benchmark_serving.py</c> before): <c>duration</c>, <c>completed</c>, <c>total_input_tokens</c>,
/// <c>total_output_tokens</c>, <c>request_throughput</c>, <c>output_throughput</c>, <c>total_token_throughput</c>,
/// <c>mean_/median_/std_/p{P}_{ttft,tpot,itl,e2el}_ms</c>, <c>num_prompts</c>, <c>request_rate</c>,
/// <c>max_concurrency</c>, and per request <c>input_lens</c>, <c>output_lens</c>, <c>ttfts</c>, <c>itls</c>.
/// aiperf: each metric tag (<c>time_to_first_token</c>, <c>inter_token_latency</c>, <c>request_latency</c>,
/// <c>output_token_throughput</c>, <c>request_throughput</c>, <c>input_sequence_length</c>,
/// <c>output_sequence_length</c>, <c>request_count</c>) is an object with <c>unit</c>, <c>avg</c>, <c>p50</c>,
/// <c>p90</c>, <c>p99</c>, <c>std</c>; they are renamed to vLLM's (<c>avg</c> → <c>mean_…</c>, <c>p50</c> → <c>median_…</c>).
/// </remarks>
public sealed class BenchmarkResult
{
    private static readonly (string Tag, string Stem)[] AiperfLatencies =
    [
        ("time_to_first_token", "ttft"), ("inter_token_latency", "itl"), ("request_latency", "e2el"), ("time_per_output_token", "tpot"),
    ];

    private BenchmarkResult(string source, string format, ImmutableDictionary<string, double> figures, ImmutableArray<long> inputLens, ImmutableArray<long> outputLens, ImmutableArray<SkippedInput> skipped)
    {
        Source = source;
        Format = format;
        Figures = figures;
        InputLengths = inputLens;
        OutputLengths = outputLens;
        Skipped = skipped;
    }

    /// <summary>The file read.</summary>
    public string Source { get; }

    /// <summary><c>vllm bench serve</c> or <c>aiperf</c>.</summary>
    public string Format { get; }

    /// <summary>Every numeric figure under vLLM bench serve's name (<c>median_ttft_ms</c>, <c>output_throughput</c>, …).</summary>
    public ImmutableDictionary<string, double> Figures { get; }

    /// <summary>Per-request prompt lengths, when the file lists them.</summary>
    public ImmutableArray<long> InputLengths { get; }

    /// <summary>Per-request output lengths, when the file lists them.</summary>
    public ImmutableArray<long> OutputLengths { get; }

    /// <summary>Fields not used, with why.</summary>
    public ImmutableArray<SkippedInput> Skipped { get; }

    /// <summary>Figure <paramref name="name"/>, or null.</summary>
    public double? Get(string name) => Figures.TryGetValue(name, out var v) ? v : null;

    /// <summary>Requests completed.</summary>
    public long Completed => (long)(Get("completed") ?? 0);

    /// <summary>Mean prompt tokens per request (from the lists, else the totals).</summary>
    public double? MeanInputTokens => InputLengths.IsDefaultOrEmpty
        ? (Get("total_input_tokens") is { } t && Completed > 0 ? t / Completed : Get("mean_input_tokens"))
        : InputLengths.Average();

    /// <summary>Mean output tokens per request (from the lists, else the totals).</summary>
    public double? MeanOutputTokens => OutputLengths.IsDefaultOrEmpty
        ? (Get("total_output_tokens") is { } t && Completed > 0 ? t / Completed : Get("mean_output_tokens"))
        : OutputLengths.Where(l => l > 0).DefaultIfEmpty().Average();

    /// <summary>The client's <c>--request-rate</c>, requests per second (+∞: every request at once; serve.py writes it as <c>"inf"</c>).</summary>
    public double RequestRate => Get("request_rate") is { } r && r > 0 ? r : double.PositiveInfinity;

    /// <summary>The client's <c>--max-concurrency</c>, when it set one.</summary>
    public long? MaxConcurrency => Get("max_concurrency") is { } c && c > 0 ? (long)c : null;

    /// <summary>Reads a result file of either format.</summary>
    /// <exception cref="InvalidDataException">Not JSON, or neither format; the message names the file.</exception>
    public static BenchmarkResult Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"benchmark result '{path}' not found", path);
        }

        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads a result from <paramref name="stream"/>.</summary>
    /// <exception cref="InvalidDataException">Not JSON, or neither format.</exception>
    public static BenchmarkResult Read(Stream stream, string source = "result")
    {
        ArgumentNullException.ThrowIfNull(stream);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not a JSON benchmark result (line {e.LineNumber + 1}: {SkippedInput.OneLine(e.Message.Split('.')[0])})", e);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{source}: a benchmark result is a JSON object, not {root.ValueKind}");
            }

            if (root.TryGetProperty("time_to_first_token", out var t) && t.ValueKind == JsonValueKind.Object ||
                root.TryGetProperty("request_throughput", out var r) && r.ValueKind == JsonValueKind.Object)
            {
                return Aiperf(root, source);
            }

            if (!root.TryGetProperty("completed", out _) && !root.TryGetProperty("output_throughput", out _))
            {
                throw new InvalidDataException($"{source}: neither a vllm bench serve result (no 'completed' or 'output_throughput') nor an aiperf profile export");
            }

            return Vllm(root, source);
        }
    }

    private static BenchmarkResult Vllm(JsonElement root, string source)
    {
        var figures = ImmutableDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
        var skipped = ImmutableArray.CreateBuilder<SkippedInput>();
        foreach (var p in root.EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetDouble(out var v) && double.IsFinite(v))
            {
                figures[p.Name] = v;
            }
        }

        var inputs = Lengths(root, "input_lens", source, skipped);
        var outputs = Lengths(root, "output_lens", source, skipped);
        return new BenchmarkResult(source, "vllm bench serve", figures.ToImmutable(), inputs, outputs, skipped.ToImmutable());
    }

    private static ImmutableArray<long> Lengths(JsonElement root, string name, string source, ImmutableArray<SkippedInput>.Builder skipped)
    {
        if (!root.TryGetProperty(name, out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var lengths = ImmutableArray.CreateBuilder<long>();
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Number && item.TryGetInt64(out var n) && n >= 0)
            {
                lengths.Add(n);
            }
            else
            {
                skipped.Add(new SkippedInput(source, 0, $"'{name}' holds a value that is not a token count ({item.GetRawText()}): the list is not used"));
                return [];
            }
        }

        return lengths.ToImmutable();
    }

    private static BenchmarkResult Aiperf(JsonElement root, string source)
    {
        var figures = ImmutableDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
        var skipped = ImmutableArray.CreateBuilder<SkippedInput>();
        foreach (var (tag, stem) in AiperfLatencies)
        {
            if (!root.TryGetProperty(tag, out var m) || m.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var unit = m.TryGetProperty("unit", out var u) ? u.GetString() : "ms";
            var scale = unit switch
            {
                "ms" => 1.0,
                "s" or "sec" => 1e3,
                "us" => 1e-3,
                "ns" => 1e-6,
                _ => double.NaN,
            };
            if (double.IsNaN(scale))
            {
                skipped.Add(new SkippedInput(source, 0, $"{tag}: unit '{unit}' is not a time unit"));
                continue;
            }

            foreach (var (stat, prefix) in new[] { ("avg", "mean_"), ("p50", "median_"), ("std", "std_"), ("p90", "p90_"), ("p95", "p95_"), ("p99", "p99_") })
            {
                if (Number(m, stat) is { } v)
                {
                    figures[$"{prefix}{stem}_ms"] = v * scale;
                }
            }
        }

        Map(root, "output_token_throughput", "output_throughput", figures);
        Map(root, "request_throughput", "request_throughput", figures);
        Map(root, "request_count", "completed", figures);
        Map(root, "input_sequence_length", "mean_input_tokens", figures);
        Map(root, "output_sequence_length", "mean_output_tokens", figures);
        Map(root, "total_token_throughput", "total_token_throughput", figures);
        if (FindConcurrency(root) is { } c)
        {
            figures["max_concurrency"] = c;
        }

        return new BenchmarkResult(source, "aiperf", figures.ToImmutable(), [], [], skipped.ToImmutable());
    }

    private static void Map(JsonElement root, string tag, string name, ImmutableDictionary<string, double>.Builder figures)
    {
        if (root.TryGetProperty(tag, out var m))
        {
            if (m.ValueKind == JsonValueKind.Object && Number(m, "avg") is { } v)
            {
                figures[name] = v;
            }
            else if (m.ValueKind == JsonValueKind.Number && m.TryGetDouble(out var d))
            {
                figures[name] = d;
            }
        }
    }

    private static double? FindConcurrency(JsonElement root)
    {
        // aiperf's input_config.loadgen.concurrency (the CLI's --concurrency).
        if (root.TryGetProperty("input_config", out var config) && config.ValueKind == JsonValueKind.Object &&
            config.TryGetProperty("loadgen", out var loadgen) && loadgen.ValueKind == JsonValueKind.Object && Number(loadgen, "concurrency") is { } c)
        {
            return c;
        }

        return null;
    }

    private static double? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d) ? d : null;

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Format} result {Source}: {Completed} requests, {Figures.Count} figures");
}

using System.Collections.Immutable;
using System.Globalization;
using PerfNotebooks.Analysis;

namespace PerfNotebooks.Cli;

/// <summary><c>perfnb sweep</c>: a grid over models, GPUs, layouts, dtypes and batch shapes.</summary>
public sealed class SweepCommand : ICommand
{
    /// <inheritdoc />
    public string Name => "sweep";

    /// <inheritdoc />
    public string Summary => "sweep models × GPUs × layouts × dtypes × batch shapes; table, CSV or JSON Lines; best point";

    /// <inheritdoc />
    public string Usage => "perfnb sweep --model M[,M…] [--gpu G,…] [--tp 1,2,…] [--decode-batch 1,8,…] [--context 4096,…] [--csv FILE | --jsonl FILE] [--max-tpot-ms T]";

    /// <inheritdoc />
    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("model", "M,…", "models: catalog names, Hugging Face ids or config paths", Repeatable: true),
        new("gpu", "G,…", "GPUs (default H100-SXM)", Repeatable: true),
        new("tp", "N,…", "tensor-parallel sizes (default 1)", Repeatable: true),
        new("pp", "N,…", "pipeline-parallel sizes (default 1)", Repeatable: true),
        new("dp", "N,…", "data-parallel sizes (default 1)", Repeatable: true),
        new("ep", "off,on", "expert parallelism values (default off)", Repeatable: true),
        new("dtype", "D,…", "model dtypes (default auto)", Repeatable: true),
        new("kv-cache-dtype", "D,…", "KV-cache dtypes (default auto)", Repeatable: true),
        new("quantization", "Q,…", "quantization methods ('checkpoint' for the config's own)", Repeatable: true),
        new("decode-batch", "N,…", "decode batch sizes (default 1,8,32,128)", Repeatable: true),
        new("context", "N,…", "decode context lengths (default 4096)", Repeatable: true),
        new("prefill", "TOKENS,…", "prefill lengths, one request each, as separate points", Repeatable: true),
        new("utilization", "F", "gpu_memory_utilization (default 0.9)"),
        new("csv", "FILE", "write every point as CSV"),
        new("jsonl", "FILE", "write every point as JSON Lines"),
        new("max-tpot-ms", "T", "report the best point (highest output tokens/s per GPU) with time per output token <= T ms"),
        new("top", "N", "rows to print in the table (default 20)"),
    ];

    /// <inheritdoc />
    public int Run(ParsedOptions options, TextWriter output)
    {
        options.RequirePositionals(0, Usage);
        var spec = ReadSpec(options);
        if (spec.PointCount == 0)
        {
            throw new CliException("perfnb sweep: the grid is empty; give --model and at least one batch shape");
        }

        var progress = new Progress<SweepProgress>(p => Console.Error.Write(
            string.Create(CultureInfo.InvariantCulture, $"\rperfnb sweep: {p.Done:N0} / {p.Total:N0} points")));
        if (options.Value("csv") is { } csv)
        {
            using var file = new StreamWriter(csv);
            var count = Sweep.WriteCsv(spec, file, spec.PointCount > 100_000 ? progress : null);
            output.WriteLine($"wrote {Format.Whole(count)} points to {csv}");
        }

        if (options.Value("jsonl") is { } jsonl)
        {
            using var file = new StreamWriter(jsonl);
            var count = Sweep.WriteJsonLines(Sweep.Run(spec), file);
            output.WriteLine($"wrote {Format.Whole(count)} points to {jsonl}");
        }

        if (options.Value("csv") is null && options.Value("jsonl") is null)
        {
            var top = options.PositiveInt("top", 20);
            var rows = Sweep.Run(spec).Take(top).ToList();
            output.Write(Table(rows));
            if (spec.PointCount > top)
            {
                output.WriteLine($"… {Format.Whole(spec.PointCount - top)} more points; use --csv or --jsonl for all");
            }
        }

        if (options.Value("max-tpot-ms") is not null)
        {
            var limit = options.PositiveDouble("max-tpot-ms", 50) / 1e3;
            var best = Sweep.Best(Sweep.Run(spec), r => r.Batch.DecodeBatch > 0 && r.TimePerOutputTokenSeconds <= limit, r => r.OutputTokensPerSecondPerGpu);
            output.WriteLine(best is { } b
                ? $"best with TPOT <= {Units.Seconds(limit)}: {b.Config.Model} on {b.Gpus} x {b.Config.Gpu} TP{b.Config.Engine.TensorParallel} PP{b.Config.Engine.PipelineParallel}, " +
                  $"{b.Batch}: {Units.Si(b.OutputTokensPerSecondPerGpu, "tok/s")}/GPU, TPOT {Units.Seconds(b.Seconds)}"
                : $"no point meets TPOT <= {Units.Seconds(limit)} and fits in memory");
        }

        return 0;
    }

    /// <summary>The rows as a terminal table.</summary>
    public static string Table(IEnumerable<SweepRow> rows)
    {
        var table = new TextTable("model", "gpu", "layout", "batch", "FLOPs", "bytes", "FLOP/B", "bound", "step", "tok/s", "MFU", "fits");
        table.RightAligned.UnionWith([4, 5, 6, 8, 9, 10]);
        foreach (var r in rows)
        {
            var e = r.Config.Engine;
            var layout = $"TP{e.TensorParallel} PP{e.PipelineParallel} DP{e.DataParallel}{(e.EnableExpertParallel ? " EP" : string.Empty)}";
            if (r.Config.Error is { } error)
            {
                table.Row(r.Config.Model, r.Config.Gpu, layout, r.Batch.ToString(), "invalid: " + error);
                continue;
            }

            table.Row(r.Config.Model, r.Config.Gpu, layout, r.Batch.ToString(), Units.Flops(r.Estimate.Flops), Units.Bytes(r.Estimate.Bytes),
                Format.Intensity(r.ArithmeticIntensity), r.Bound.ToString().ToLowerInvariant(), Units.Seconds(r.Seconds),
                Units.Si(r.TokensPerSecond, "tok/s"), Format.Percent(r.Mfu), r.Fits ? "yes" : "no");
        }

        return table.ToString();
    }

    private static SweepSpec ReadSpec(ParsedOptions options)
    {
        ImmutableArray<int> Ints(string name, int fallback) => options.Values(name).Any()
            ? [.. options.Values(name).Select(v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n : throw new CliException($"perfnb sweep: --{name} takes positive whole numbers, not '{v}'"))]
            : [fallback];
        ImmutableArray<long> Longs(string name, params long[] fallback) => options.Values(name).Any()
            ? [.. options.Values(name).Select(v => RequestSpecCount(v, name))]
            : [.. fallback];
        ImmutableArray<string> Texts(string name, string fallback) => options.Values(name).Any() ? [.. options.Values(name)] : [fallback];

        var models = options.Values("model").ToImmutableArray();
        if (models.IsEmpty)
        {
            throw new CliException("perfnb sweep: --model is required (catalog names, Hugging Face ids or paths, comma-separated)");
        }

        var batches = BatchShape.DecodeGrid(Longs("decode-batch", 1, 8, 32, 128), Longs("context", 4096))
            .Concat(options.Values("prefill").Select(p => BatchShape.Prefill(RequestSpecCount(p, "prefill"))));
        return new SweepSpec
        {
            Models = models,
            Gpus = Texts("gpu", "H100-SXM"),
            TensorParallel = Ints("tp", 1),
            PipelineParallel = Ints("pp", 1),
            DataParallel = Ints("dp", 1),
            ExpertParallel = [.. Texts("ep", "off").Select(v => v switch
            {
                "on" or "true" => true,
                "off" or "false" => false,
                _ => throw new CliException($"perfnb sweep: --ep takes off and/or on, not '{v}'"),
            })],
            Dtypes = Texts("dtype", "auto"),
            KvCacheDtypes = Texts("kv-cache-dtype", "auto"),
            Quantizations = options.Values("quantization").Any()
                ? [.. options.Values("quantization").Select(q => q == "checkpoint" ? null : q)]
                : [null],
            Batches = [.. batches],
            Utilization = options.PositiveDouble("utilization", MemoryPlanner.DefaultUtilization),
        };
    }

    private static long RequestSpecCount(string text, string name) =>
        Execution.RequestSpec.TryParseDecode(text, out var spec, out _) && spec.Count == 1
            ? spec.ContextLength
            : throw new CliException($"perfnb sweep: --{name} takes positive whole numbers (k = ×1024 allowed), not '{text}'");
}

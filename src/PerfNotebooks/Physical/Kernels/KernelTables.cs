using System.Globalization;
using PerfNotebooks.Models;

namespace PerfNotebooks.Physical.Kernels;

/// <summary>
/// One GPU's measured vLLM kernel tables from an AIConfigurator <c>systems</c> folder (GEMM, prefill and decode
/// attention, MoE, custom and NCCL all-reduce), loaded and indexed once.
/// </summary>
/// <remarks>
/// Layout: <c>systems/data/&lt;gpu&gt;/&lt;op&gt;/&lt;framework&gt;/&lt;version&gt;/*.parquet</c>; where several versions
/// are present the newest is read. Rows whose dtype the timers do not model (NCCL int8, for example) are skipped. MoE
/// rows are the <c>balanced</c> routing where the table has it, else the mildest imbalance it has
/// (<see cref="MoeDistribution"/>). All-reduce keeps, per GPU count and message size, the faster of vLLM's custom
/// all-reduce under CUDA graphs (<c>vllm_graph</c>) and NCCL's <c>all_reduce</c>, as vLLM switches between them.
/// </remarks>
public sealed class KernelTables
{
    private readonly List<KernelSample> _samples = [];

    private KernelTables(string gpu) => Gpu = gpu;

    /// <summary>AIConfigurator's GPU name (<c>h100_sxm</c>).</summary>
    public string Gpu { get; }

    /// <summary>The MoE routing distribution the MoE table was read at.</summary>
    public string MoeDistribution { get; private set; } = "balanced";

    /// <summary>Every loaded measurement (after de-duplication), in file order.</summary>
    public IReadOnlyList<KernelSample> Samples => _samples;

    internal KernelGrid? GemmGrid { get; private set; }

    internal KernelGrid? PrefillGrid { get; private set; }

    internal KernelGrid? DecodeGrid { get; private set; }

    internal KernelGrid? MoeGrid { get; private set; }

    internal KernelGrid? AllReduceGrid { get; private set; }

    /// <summary>AIConfigurator GPU names with a data folder under <paramref name="systemsFolder"/>.</summary>
    public static IReadOnlyList<string> Available(string systemsFolder)
    {
        var data = Path.Combine(systemsFolder, "data");
        return Directory.Exists(data) ? [.. Directory.GetDirectories(data).Select(Path.GetFileName).Order(StringComparer.Ordinal)!] : [];
    }

    /// <summary>Loads the tables of <paramref name="gpu"/> (AIConfigurator's name, <c>h100_sxm</c>) from
    /// <paramref name="systemsFolder"/>.</summary>
    /// <exception cref="ModelConfigException">The folder, a table or a column is missing; names which.</exception>
    public static KernelTables Load(string systemsFolder, string gpu, KernelRowSplit split = KernelRowSplit.All)
    {
        ArgumentException.ThrowIfNullOrEmpty(systemsFolder);
        ArgumentException.ThrowIfNullOrEmpty(gpu);
        var root = Path.Combine(systemsFolder, "data", gpu);
        if (!Directory.Exists(root))
        {
            throw new ModelConfigException(root, null,
                $"no measured kernel tables for '{gpu}'; this systems folder has: {string.Join(", ", Available(systemsFolder))}");
        }

        var tables = new KernelTables(gpu);
        var rows = new Dictionary<(string Table, GridKey Key, long Axis), double>();
        void Add(string table, GridKey key, long axis, double seconds)
        {
            if (split != KernelRowSplit.All && (Hash(table, key, axis) % 5 == 0) != (split == KernelRowSplit.HeldOut))
            {
                return;
            }

            var id = (table, key, axis);
            rows[id] = rows.TryGetValue(id, out var old) ? Math.Min(old, seconds) : seconds;
        }

        // GEMM: key (dtype, n, k), axis m.
        var gemm = ParquetColumns.Read(Find(root, "gemm", "vllm", "gemm_perf.parquet"), ["m", "n", "k"], ["gemm_dtype"]);
        for (var i = 0; i < gemm.Rows; i++)
        {
            if (Dtype(gemm.Text("gemm_dtype")[i]) is { } d)
            {
                Add("gemm." + Name(d), new((long)d, gemm.Long("n")[i], gemm.Long("k")[i]), gemm.Long("m")[i], gemm.Latency[i] / 1e3);
            }
        }

        // Attention: key (kv dtype, heads, kv heads, head dim, window, batch), axis isl (prefill) or step + 1 (decode).
        string[] attnLongs = ["batch_size", "isl", "num_heads", "num_key_value_heads", "head_dim", "window_size?", "step"];
        foreach (var (file, table) in new[] { ("context_attention_perf.parquet", "prefill_attention"), ("generation_attention_perf.parquet", "decode_attention") })
        {
            var a = ParquetColumns.Read(Find(root, "attention", "vllm", file), attnLongs, ["attn_dtype", "kv_cache_dtype"]);
            for (var i = 0; i < a.Rows; i++)
            {
                if (Dtype(a.Text("attn_dtype")[i]) is not KernelDtype.BFloat16 || Dtype(a.Text("kv_cache_dtype")[i]) is not { } kv)
                {
                    continue;
                }

                var axis = table == "prefill_attention" ? a.Long("isl")[i] : a.Long("step")[i] + 1;
                Add(table, new((long)kv, a.Long("num_heads")[i], a.Long("num_key_value_heads")[i], a.Long("head_dim")[i], a.Long("window_size")[i], a.Long("batch_size")[i]), axis, a.Latency[i] / 1e3);
            }
        }

        // MoE: key (dtype, hidden, inter, topk, experts, tp, ep), axis tokens.
        var moe = ParquetColumns.Read(Find(root, "moe", "vllm", "moe_perf.parquet"),
            ["num_tokens", "hidden_size", "inter_size", "topk", "num_experts", "moe_tp_size", "moe_ep_size"], ["moe_dtype", "distribution"]);
        var distributions = moe.Text("distribution").Distinct().ToArray();
        tables.MoeDistribution = distributions.Contains("balanced") ? "balanced" : distributions.Order(StringComparer.Ordinal).FirstOrDefault() ?? "balanced";
        for (var i = 0; i < moe.Rows; i++)
        {
            if (moe.Text("distribution")[i] == tables.MoeDistribution && Dtype(moe.Text("moe_dtype")[i]) is { } d)
            {
                Add("moe." + Name(d), new((long)d, moe.Long("hidden_size")[i], moe.Long("inter_size")[i], moe.Long("topk")[i], moe.Long("num_experts")[i], moe.Long("moe_tp_size")[i], moe.Long("moe_ep_size")[i]),
                    moe.Long("num_tokens")[i], moe.Latency[i] / 1e3);
            }
        }

        // All-reduce: key (GPUs), axis bytes; vLLM custom all-reduce under CUDA graphs and NCCL, the faster kept.
        var custom = ParquetColumns.Read(Find(root, "comm", "vllm", "custom_allreduce_perf.parquet"), ["num_gpus", "message_size"], ["allreduce_dtype", "backend"]);
        for (var i = 0; i < custom.Rows; i++)
        {
            if (custom.Text("backend")[i] == "vllm_graph" && Dtype(custom.Text("allreduce_dtype")[i]) is KernelDtype.BFloat16 or KernelDtype.Float16)
            {
                Add("allreduce." + custom.Long("num_gpus")[i].ToString(CultureInfo.InvariantCulture), new(custom.Long("num_gpus")[i]), custom.Long("message_size")[i] * 2, custom.Latency[i] / 1e3);
            }
        }

        var nccl = ParquetColumns.Read(Find(root, "comm", "nccl", "nccl_perf.parquet"), ["num_gpus", "message_size"], ["op_name", "nccl_dtype"]);
        for (var i = 0; i < nccl.Rows; i++)
        {
            if (nccl.Text("op_name")[i] == "all_reduce" && Dtype(nccl.Text("nccl_dtype")[i]) is KernelDtype.BFloat16 or KernelDtype.Float16)
            {
                Add("allreduce." + nccl.Long("num_gpus")[i].ToString(CultureInfo.InvariantCulture), new(nccl.Long("num_gpus")[i]), nccl.Long("message_size")[i] * 2, nccl.Latency[i] / 1e3);
            }
        }

        foreach (var ((table, key, axis), seconds) in rows)
        {
            tables._samples.Add(Sample(table, key, axis, seconds));
        }

        KernelGrid Grid(string prefix, int mask) => new(rows.Where(r => r.Key.Table.StartsWith(prefix, StringComparison.Ordinal)).Select(r => (r.Key.Key, r.Key.Axis, r.Value)), mask);
        tables.GemmGrid = Grid("gemm.", 0b1);
        tables.PrefillGrid = Grid("prefill_attention", 0b10001);
        tables.DecodeGrid = Grid("decode_attention", 0b10001);
        tables.MoeGrid = Grid("moe.", 0b1);
        tables.AllReduceGrid = Grid("allreduce.", 0b1);
        return tables;
    }

    internal static AttentionShape AttentionOf(GridKey key) =>
        new((int)key.B, (int)key.C, (int)key.D, KernelDtype.BFloat16, (KernelDtype)key.A, (int)key.E);

    internal static MoeShape MoeOf(GridKey key) =>
        new((int)key.B, (int)key.C, (int)key.D, (int)key.E, (int)key.F, (int)key.G, (KernelDtype)key.A);

    /// <summary>AIConfigurator's dtype name for <paramref name="dtype"/>.</summary>
    public static string Name(KernelDtype dtype) => dtype switch
    {
        KernelDtype.BFloat16 => "bfloat16",
        KernelDtype.Float16 => "float16",
        KernelDtype.Fp8 => "fp8",
        KernelDtype.Fp8Block => "fp8_block",
        KernelDtype.Int4WeightOnly => "int4_wo",
        KernelDtype.Nvfp4 => "nvfp4",
        KernelDtype.Mxfp4 => "w4a16_mxfp4",
        _ => "float32",
    };

    private static KernelDtype? Dtype(string? name) => name switch
    {
        "bfloat16" => KernelDtype.BFloat16,
        "float16" or "half" => KernelDtype.Float16,
        "fp8" => KernelDtype.Fp8,
        "fp8_block" => KernelDtype.Fp8Block,
        "int4_wo" or "w4a16" => KernelDtype.Int4WeightOnly,
        "nvfp4" => KernelDtype.Nvfp4,
        "w4a16_mxfp4" or "mxfp4" => KernelDtype.Mxfp4,
        _ => null,
    };

    private static KernelSample Sample(string table, GridKey key, long axis, double seconds)
    {
        if (table.StartsWith("gemm.", StringComparison.Ordinal))
        {
            var dtype = (KernelDtype)key.A;
            return new(table, seconds, KernelWork.Gemm(axis, key.B, key.C, dtype), t => t.Gemm(axis, key.B, key.C, dtype));
        }

        if (table == "prefill_attention")
        {
            var shape = AttentionOf(key);
            return new(table, seconds, KernelWork.PrefillAttention(key.F, axis, axis, shape), t => t.PrefillAttention(key.F, axis, axis, shape));
        }

        if (table == "decode_attention")
        {
            var shape = AttentionOf(key);
            return new(table, seconds, KernelWork.DecodeAttention(key.F, axis, shape), t => t.DecodeAttention(key.F, axis, shape));
        }

        if (table.StartsWith("moe.", StringComparison.Ordinal))
        {
            var shape = MoeOf(key);
            return new(table, seconds, KernelWork.Moe(axis, shape), t => t.Moe(axis, shape));
        }

        return new(table, seconds, new KernelWork(0, axis), t => t.AllReduce(axis, (int)key.A));
    }

    private static string Find(string gpuRoot, string op, string framework, string file)
    {
        var folder = Path.Combine(gpuRoot, op, framework);
        var versions = Directory.Exists(folder) ? Directory.GetDirectories(folder) : [];
        var newest = versions
            .Where(v => File.Exists(Path.Combine(v, file)))
            .OrderBy(v => Version.TryParse(Path.GetFileName(v), out var parsed) ? parsed : new Version(0, 0))
            .LastOrDefault();
        return newest is null ? Path.Combine(folder, "<version>", file) : Path.Combine(newest, file);
    }

    private static ulong Hash(string table, GridKey key, long axis)
    {
        // Implementation note: FNV-1a over the table name and the shape, stable across runs and machines (string.GetHashCode is not).
        var h = 14695981039346656037UL;
        foreach (var c in table)
        {
            h = unchecked((h ^ c) * 1099511628211UL);
        }

        for (var i = 0; i <= GridKey.Slots; i++)
        {
            var v = i < GridKey.Slots ? key[i] : axis;
            for (var b = 0; b < 8; b++)
            {
                h = unchecked((h ^ (byte)(v >> (8 * b))) * 1099511628211UL);
            }
        }

        return h;
    }
}

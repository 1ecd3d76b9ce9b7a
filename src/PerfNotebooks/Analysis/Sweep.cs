using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Threading;
using PerfNotebooks.Hardware;
using PerfNotebooks.Internal;
using PerfNotebooks.Models;
using PerfNotebooks.Physical;
using PerfNotebooks.Vllm;
namespace PerfNotebooks.Analysis;

/// <summary>
/// Runs sweeps: every configuration is built once (invalid ones become rows with the reason), then batch shapes are
/// evaluated in parallel chunks on every core and streamed back in grid order, so a sweep larger than memory runs.
/// </summary>
public static class Sweep
{
    private const int ChunkSize = 8192;

    /// <summary>Builds the sweep's configurations (models × GPUs × layouts × dtypes × quantizations), in grid order.</summary>
    public static IEnumerable<SweepConfig> Configurations(SweepSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var configs = new Dictionary<string, HfConfig?>(StringComparer.Ordinal);
        foreach (var model in spec.Models)
        {
            string? modelError = null;
            if (!configs.TryGetValue(model, out var config))
            {
                try
                {
                    config = ModelCatalog.Load(model);
                }
                catch (ModelConfigException e)
                {
                    modelError = e.Message;
                }

                configs[model] = config;
            }

            foreach (var gpuName in spec.Gpus)
            {
                foreach (var engine in Engines(spec))
                {
                    yield return Build(model, config, modelError, gpuName, engine, spec);
                }
            }
        }
    }

    // The grid's engine settings, in grid order: TP × PP × DP × EP × dtype × KV-cache dtype × quantization.
    private static IEnumerable<EngineSettings> Engines(SweepSpec spec) =>
        from tp in spec.TensorParallel
        from pp in spec.PipelineParallel
        from dp in spec.DataParallel
        from ep in spec.ExpertParallel
        from dtype in spec.Dtypes
        from kv in spec.KvCacheDtypes
        from quant in spec.Quantizations
        select new EngineSettings
        {
            TensorParallel = tp,
            PipelineParallel = pp,
            DataParallel = dp,
            EnableExpertParallel = ep,
            Dtype = dtype,
            KvCacheDtype = kv,
            Quantization = quant,
            Vllm = spec.Vllm,
        };

    /// <summary>
    /// Evaluates every point, in parallel on every core, streaming rows in grid order. At most a few chunks are held
    /// at once; cancellation stops between chunks.
    /// </summary>
    /// <exception cref="OperationCanceledException">The sweep was cancelled.</exception>
    public static IEnumerable<SweepRow> Run(SweepSpec spec, IProgress<SweepProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return RunCore(spec, progress, cancellation);
    }

    private static IEnumerable<SweepRow> RunCore(SweepSpec spec, IProgress<SweepProgress>? progress, CancellationToken cancellation)
    {
        foreach (var chunk in Chunks(spec, Evaluate, progress, cancellation))
        {
            foreach (var row in chunk)
            {
                yield return row;
            }
        }
    }

    /// <summary>
    /// Evaluates the sweep and writes it as CSV; rows are formatted on the worker threads, chunk by chunk, and written
    /// in grid order. Returns the row count.
    /// </summary>
    /// <exception cref="OperationCanceledException">The sweep was cancelled.</exception>
    public static long WriteCsv(SweepSpec spec, TextWriter writer, IProgress<SweepProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(CsvHeader);
        writer.Write('\n');
        long count = 0;
        foreach (var (text, rows) in Chunks(spec, FormatCsv, progress, cancellation))
        {
            using (text)
            {
                text.WriteTo(writer);
            }

            count += rows;
        }

        return count;
    }

    private static (CharBuffer Text, int Rows) FormatCsv(SweepConfig config, ImmutableArray<BatchShape> batches, int from, int count)
    {
        // Implementation note: a CSV row is under 256 characters; sizing the buffer once avoids five regrowth copies per chunk.
        var text = new CharBuffer(count * 256);
        Write(Evaluate(config, batches, from, count), new CsvCells(text));
        return (text, count);
    }

    // Implementation note: chunks of one configuration's batch shapes run as tasks, at most two per core in flight;
    // results are taken from the oldest task first, so output keeps grid order and memory stays bounded.
    private static IEnumerable<T> Chunks<T>(
        SweepSpec spec, Func<SweepConfig, ImmutableArray<BatchShape>, int, int, T> work,
        IProgress<SweepProgress>? progress, CancellationToken cancellation)
    {
        var total = spec.PointCount;
        long done = 0;
        var inflight = new Queue<(Task<T> Task, int Count)>();
        var limit = Math.Max(2, Environment.ProcessorCount * 2);
        var batches = spec.Batches;
        foreach (var config in Configurations(spec))
        {
            for (var start = 0; start < batches.Length; start += ChunkSize)
            {
                cancellation.ThrowIfCancellationRequested();
                var (from, count) = (start, Math.Min(ChunkSize, batches.Length - start));
                var owner = config;
                inflight.Enqueue((Task.Run(() => work(owner, batches, from, count), cancellation), count));
                if (inflight.Count >= limit)
                {
                    var (task, rows) = inflight.Dequeue();
                    yield return task.GetAwaiter().GetResult();
                    done += rows;
                    progress?.Report(new SweepProgress(done, total));
                }
            }
        }

        while (inflight.Count > 0)
        {
            cancellation.ThrowIfCancellationRequested();
            var (task, rows) = inflight.Dequeue();
            yield return task.GetAwaiter().GetResult();
            done += rows;
            progress?.Report(new SweepProgress(done, total));
        }
    }

    private static SweepRow[] Evaluate(SweepConfig config, ImmutableArray<BatchShape> batches, int from, int count)
    {
        var rows = new SweepRow[count];
        var (estimator, steps) = (config.Estimator, config.Steps);
        for (var i = 0; i < count; i++)
        {
            var batch = batches[from + i];
            rows[i] = new SweepRow(config, batch, estimator is null || steps is null ? default : Estimate(estimator, steps, batch.ToContext()));
        }

        return rows;
    }

    // The vLLM book's counts and roofline time, with the physical book's expected time and bound beside them.
    private static StepEstimate Estimate(StepEstimator counts, StepModel steps, in Batch ctx)
    {
        var physical = steps.Estimate(ctx);
        return counts.Estimate(ctx) with { ExpectedSeconds = physical.ExpectedSeconds, BoundSeconds = physical.BoundSeconds };
    }

    private static SweepConfig Build(string model, HfConfig? config, string? modelError, string gpuName, EngineSettings engine, SweepSpec spec)
    {
        if (config is null)
        {
            return new SweepConfig(model, gpuName, engine, null, null, modelError);
        }

        try
        {
            var gpu = GpuCatalog.Find(gpuName);
            var metrics = ModelMetrics.Create(ModelSource.Resolve(config, engine));
            if (metrics.Skipped.Length > 0)
            {
                var skipped = metrics.Skipped[0];
                return new SweepConfig(model, gpuName, engine, null, null, $"{skipped.Name} skipped: {skipped.ReasonName} ({skipped.Detail})");
            }

            var counts = new StepEstimator(metrics, gpu, null, spec.ApplyEfficiency || gpu.HasMeasuredEfficiency);
            var steps = new StepModel(PhysicalModel.From(metrics.Source), gpu);
            return new SweepConfig(model, gpuName, engine, counts, MemoryPlanner.Plan(metrics, gpu, spec.Utilization), null) { Steps = steps };
        }
        catch (Exception e) when (e is EngineConfigException or ModelConfigException or ArgumentException)
        {
            return new SweepConfig(model, gpuName, engine, null, null, e.Message);
        }
    }

    /// <summary>The CSV header (and JSON Lines keys), one column per <see cref="SweepRow"/> field, units in the names.</summary>
    public const string CsvHeader =
        "model,gpu,tp,pp,dp,ep,dtype,kv_cache_dtype,quantization,gpus,decode_batch,decode_context,prefill_requests,prefill_tokens,prefill_context," +
        "flops,read_bytes,write_bytes,intensity_flop_per_byte,bound,step_seconds,bound_step_seconds,comm_seconds,tokens_per_second,output_tokens_per_second_per_gpu," +
        "mfu,weight_bytes_per_gpu,kv_tokens_capacity,fits,error";

    private static readonly string[] Columns = CsvHeader.Split(',');
    private static readonly string[] BoundNames = ["compute", "memory", "communication"];

    /// <summary>Writes rows as CSV (header first), streaming; returns the row count.</summary>
    public static long WriteCsv(IEnumerable<SweepRow> rows, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(CsvHeader);
        writer.Write('\n');
        using var text = new CharBuffer();
        var cells = new CsvCells(text);
        long count = 0;
        foreach (var chunk in rows.Chunk(ChunkSize))
        {
            count += Write(chunk, cells);
            text.WriteTo(writer);
            text.Clear();
        }

        return count;
    }

    /// <summary>Writes rows as JSON Lines with the CSV's keys (exact integers, null for absent values), streaming.</summary>
    public static long WriteJsonLines(IEnumerable<SweepRow> rows, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(writer);
        return Write(rows, new JsonCells(writer));
    }

    private static long Write(IEnumerable<SweepRow> rows, ICells cells)
    {
        long count = 0;
        foreach (var row in rows)
        {
            var c = row.Config;
            var e = c.Engine;
            cells.Begin();
            cells.Text(c.Model);
            cells.Text(c.Gpu);
            cells.Number(e.TensorParallel);
            cells.Number(e.PipelineParallel);
            cells.Number(e.DataParallel);
            cells.Raw(e.EnableExpertParallel ? "true" : "false");
            cells.Text(e.Dtype);
            cells.Text(e.KvCacheDtype);
            cells.Text(e.Quantization);
            cells.Number(row.Gpus);
            cells.Number(row.Batch.DecodeBatch);
            cells.Number(row.Batch.DecodeContext);
            cells.Number(row.Batch.PrefillRequests);
            cells.Number(row.Batch.PrefillTokens);
            cells.Number(row.Batch.PrefillContext);
            var valid = c.Error is null;
            cells.Number(valid ? row.Estimate.Flops : null);
            cells.Number(valid ? row.Estimate.ReadBytes : null);
            cells.Number(valid ? row.Estimate.WriteBytes : null);
            cells.Real(valid ? row.ArithmeticIntensity : null);
            cells.Text(valid ? BoundNames[(int)row.Bound] : null);
            cells.Real(valid ? row.Seconds : null);
            cells.Real(valid ? row.Estimate.BoundSeconds : null);
            cells.Real(valid ? row.Estimate.CommunicationSeconds : null);
            cells.Real(valid ? row.TokensPerSecond : null);
            cells.Real(valid ? row.OutputTokensPerSecondPerGpu : null);
            cells.Real(valid ? row.Mfu : null);
            cells.Number(c.Memory?.WeightBytes);
            cells.Number(c.Memory is null ? null : c.TokensThatFit);
            var fits = row.Fits;
            cells.Raw(fits ? "true" : "false");
            if (c.Error is null && !fits)
            {
                cells.FitError(row.Batch.KvTokens, c.TokensThatFit);
            }
            else
            {
                cells.Text(c.Error);
            }

            cells.End();
            count++;
        }

        return count;
    }

    /// <summary>The valid, fitting row that maximises <paramref name="objective"/> among those meeting <paramref name="constraint"/>, or null.</summary>
    public static SweepRow? Best(IEnumerable<SweepRow> rows, Func<SweepRow, bool> constraint, Func<SweepRow, double> objective)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(constraint);
        ArgumentNullException.ThrowIfNull(objective);
        SweepRow? best = null;
        var bestValue = double.NegativeInfinity;
        foreach (var row in rows)
        {
            if (row.Error is null && constraint(row))
            {
                var value = objective(row);
                if (value > bestValue)
                {
                    (best, bestValue) = (row, value);
                }
            }
        }

        return best;
    }

    /// <summary>The valid, fitting row that uses the fewest GPUs (ties: highest tokens per second), or null.</summary>
    public static SweepRow? FewestGpusThatFit(IEnumerable<SweepRow> rows, Func<SweepRow, bool>? constraint = null) =>
        Best(rows, r => constraint?.Invoke(r) ?? true, r => (-r.Gpus * 1e15) + r.TokensPerSecond);

    // One row's cells, written as CSV or as a JSON object; the column order is Columns.
    private interface ICells
    {
        void Begin();

        void Text(string? value);

        void Number(Int128? value);

        void Real(double? value);

        void Raw(string value);

        void FitError(long need, long have);

        void End();
    }

    private sealed class CsvCells(CharBuffer text) : ICells
    {
        private bool _first;

        public void Begin() => _first = true;

        public void Text(string? value)
        {
            Separator();
            if (value is null || value.AsSpan().IndexOfAny(",\"\n") < 0)
            {
                text.Append(value);
            }
            else
            {
                text.Append('"');
                text.Append(value.Replace("\"", "\"\"", StringComparison.Ordinal));
                text.Append('"');
            }
        }

        public void Number(Int128? value)
        {
            Separator();
            if (value is { } v)
            {
                text.Append(v);
            }
        }

        public void Real(double? value)
        {
            Separator();
            if (value is { } v)
            {
                text.AppendSignificant(v);
            }
        }

        public void Raw(string value)
        {
            Separator();
            text.Append(value);
        }

        public void FitError(long need, long have)
        {
            Separator();
            text.Append(have == 0 ? "does not fit: weights fill the memory; the batch holds " : "KV cache does not fit: the batch holds ");
            text.Append(need);
            text.Append(" KV tokens; the GPUs hold ");
            text.Append(have);
        }

        public void End() => text.Append('\n');

        private void Separator()
        {
            if (!_first)
            {
                text.Append(',');
            }

            _first = false;
        }
    }

    private sealed class JsonCells(TextWriter writer) : ICells
    {
        private int _column;

        public void Begin()
        {
            _column = 0;
            writer.Write('{');
        }

        public void Text(string? value) => Cell(value is null ? "null" : JsonSerializer.Serialize(value));

        public void Number(Int128? value) => Cell(value?.ToString(CultureInfo.InvariantCulture) ?? "null");

        public void Real(double? value)
        {
            if (value is not { } v || !double.IsFinite(v))
            {
                Cell("null");
                return;
            }

            using var text = new CharBuffer();
            text.AppendSignificant(v);
            Cell(text.ToString());
        }

        public void Raw(string value) => Cell(value);

        public void FitError(long need, long have) => Text(SweepRow.FitError(need, have));

        public void End() => writer.Write("}\n");

        private void Cell(string json)
        {
            if (_column > 0)
            {
                writer.Write(',');
            }

            writer.Write('"');
            writer.Write(Columns[_column++]);
            writer.Write("\":");
            writer.Write(json);
        }
    }
}

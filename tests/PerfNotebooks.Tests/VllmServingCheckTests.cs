using System.Globalization;
using System.Text;
using System.Text.Json;
using PerfNotebooks.Hardware;
using PerfNotebooks.Models;
using PerfNotebooks.Physical;
using PerfNotebooks.Serving;
using Xunit.Abstractions;

namespace PerfNotebooks.Tests;

/// The 93 measured vLLM serving runs of ../shared/measured/vllm-serving.jsonl (Qwen3-32B on H100, aiperf concurrency
/// mode) through ServeSimulator.Run with the client they were measured with. No constant is fitted to these rows.
public class VllmServingCheckTests(ITestOutputHelper output)
{
    public sealed record Row(string Id, long Tp, long Input, long Output, long Concurrency, string Metric, double Measured, double Expected, double Bound)
    {
        public double Error => (Expected - Measured) / Measured;
    }

    public static IReadOnlyList<Row> Check()
    {
        var folder = Path.Combine(Paths.RepositoryRoot, "..", "shared", "measured");
        var path = Path.Combine(folder, "vllm-serving.jsonl");
        var runs = new Dictionary<string, (JsonElement Run, Dictionary<string, double> Values)>();
        foreach (var line in File.ReadLines(path).Where(l => l.Trim().Length > 0))
        {
            var e = JsonDocument.Parse(line).RootElement;
            var id = e.GetProperty("id").GetString()!;
            if (!runs.TryGetValue(id, out var run))
            {
                run = (e, []);
                runs[id] = run;
            }

            run.Values[e.GetProperty("metric").GetString()!] = e.GetProperty("value").GetDouble();
        }

        var gpu = GpuCatalog.Find("H100-SXM");
        var timer = MeasuredCheckTests.Best(gpu);
        var configs = new Dictionary<string, HfConfig>();
        var rows = new List<Row>();
        foreach (var (id, (e, values)) in runs)
        {
            // A path relative to the folder, or a catalog name (the FP8 checkpoint's rows).
            var model = e.GetProperty("model").GetString()!;
            if (!configs.TryGetValue(model, out var config))
            {
                var modelPath = Path.Combine(folder, model);
                config = File.Exists(modelPath) ? HfConfig.Load(modelPath) : ModelCatalog.Find(model).Load();
                configs[model] = config;
            }

            var flags = e.GetProperty("flags").EnumerateArray().Select(f => f.GetString()!).ToArray();
            var tp = int.Parse(flags[Array.IndexOf(flags, "--tp") + 1], CultureInfo.InvariantCulture);
            var source = ModelSource.Resolve(config, new EngineSettings { TensorParallel = tp });
            long Number(string key) => e.GetProperty(key).GetInt64();
            var benchmark = ServeBenchmark.Aiperf(source, gpu, Number("concurrency"), Number("input_len"), Number("output_len")) with
            {
                Server = new ServerSettings { Timer = timer },
            };
            var result = ServeSimulator.Run(benchmark);
            Assert.True(result.Fits, $"{id}: {string.Join("; ", result.Notes)}");
            foreach (var (metric, measured) in values)
            {
                double Pick(BenchmarkMetrics m) => metric switch
                {
                    "ttft_ms" => m.Ttft.MeanSeconds * 1e3,
                    "tpot_ms" => m.Tpot.MeanSeconds * 1e3,
                    _ => throw new InvalidDataException($"{path}: metric '{metric}' is not known"),
                };
                rows.Add(new Row(id, tp, Number("input_len"), Number("output_len"), Number("concurrency"), metric, measured, Pick(result.Expected!), Pick(result.Bound!)));
            }
        }

        return rows;
    }

    public static double TimeRatio(IEnumerable<Row> rows) => Math.Exp(rows.Average(r => Math.Log(r.Expected / r.Measured)));

    public static string Summary(IReadOnlyList<Row> rows)
    {
        var text = new StringBuilder();
        text.Append("| metric | runs | median \\|error\\| | time ratio (geometric mean) | within 15 % | within 25 % |\n|---|---:|---:|---:|---:|---:|\n");
        foreach (var metric in new[] { "ttft_ms", "tpot_ms" })
        {
            var m = rows.Where(r => r.Metric == metric).ToList();
            text.Append(CultureInfo.InvariantCulture,
                $"| {metric} | {m.Count} | {MeasuredCheckTests.Median(m.Select(r => Math.Abs(r.Error))):0.0%} | {TimeRatio(m):0.00} | {m.Count(r => Math.Abs(r.Error) <= 0.15)} | {m.Count(r => Math.Abs(r.Error) <= 0.25)} |\n");
        }

        return text.ToString();
    }

    /// A prefill step and a decode step as the measured runs imply them, independent of how the server grouped
    /// requests. In a closed loop of C requests, each request decodes through every other request's prefill about once
    /// (a share s of them) per lifetime, so TPOT(O) ≈ D + (C − 1)·s·P / (O − 1) for a decode step D and the time P a prefill adds to a step. Two
    /// runs that differ only in output length (128 and 1,024) give P from their TPOT difference and then D.
    public sealed record ImpliedStep(long Tp, long Input, long Concurrency, double MeasuredPrefill, double ExpectedPrefill, double MeasuredDecode, double ExpectedDecode)
    {
        public double PrefillError => (ExpectedPrefill - MeasuredPrefill) / MeasuredPrefill;

        public double DecodeError => (ExpectedDecode - MeasuredDecode) / MeasuredDecode;
    }

    public static IReadOnlyList<ImpliedStep> ImpliedSteps(IReadOnlyList<Row> rows)
    {
        var gpu = GpuCatalog.Find("H100-SXM");
        var config = HfConfig.Load(Path.Combine(Paths.RepositoryRoot, "..", "shared", "measured", "configs", "qwen3-32b.json"));
        var timer = MeasuredCheckTests.Best(gpu);
        var result = new List<ImpliedStep>();
        var tpot = rows.Where(r => r.Metric == "tpot_ms" && r.Id.Contains("qwen3_32b_qwen_qwen3_32b", StringComparison.Ordinal)).ToList();
        foreach (var shortRun in tpot.Where(r => r.Output == 128 && r.Concurrency <= 32))
        {
            var longRun = tpot.SingleOrDefault(r => r.Tp == shortRun.Tp && r.Input == shortRun.Input && r.Concurrency == shortRun.Concurrency && r.Output == 1024);
            if (longRun is null)
            {
                continue;
            }

            // Each other request prefills once per its lifetime (TTFT + (O − 1)·TPOT), of which a request's decode
            // window covers (O − 1)·TPOT: the share of the other prefills it decodes through, from the measured TTFT.
            double Share(Row tpotRun, long output)
            {
                var ttft = rows.Single(r => r.Id == tpotRun.Id && r.Metric == "ttft_ms").Measured;
                var window = (output - 1) * tpotRun.Measured;
                return window / (window + ttft);
            }

            var others = shortRun.Concurrency - 1;
            var shortShare = others * Share(shortRun, 128) / 127;
            var longShare = others * Share(longRun, 1024) / 1023;
            var prefill = (shortRun.Measured - longRun.Measured) / (shortShare - longShare);
            var decode = longRun.Measured - (longShare * prefill);
            var steps = new StepModel(PhysicalModel.From(ModelSource.Resolve(config, new EngineSettings { TensorParallel = (int)shortRun.Tp })), gpu, timer);
            // The decode batch sits at the mean context of the 1,024-token-output run; a prefill joins C − 1 decodes.
            var context = shortRun.Input + 512;
            var decodes = Batch.Decodes(shortRun.Concurrency, context);
            var mixed = Batch.Decodes(others, context).WithPrefill(shortRun.Input);
            var expectedPrefill = (steps.Estimate(mixed).ExpectedSeconds - steps.Estimate(Batch.Decodes(others, context)).ExpectedSeconds) * 1e3;
            result.Add(new ImpliedStep(shortRun.Tp, shortRun.Input, shortRun.Concurrency, prefill, expectedPrefill, decode, steps.Estimate(decodes).ExpectedSeconds * 1e3));
        }

        return result;
    }

    [Fact]
    public void Prefill_and_decode_steps_implied_by_the_measured_runs_match_the_step_model()
    {
        var implied = ImpliedSteps(Check());
        foreach (var s in implied.OrderBy(s => s.Tp).ThenBy(s => s.Input).ThenBy(s => s.Concurrency))
        {
            output.WriteLine(FormattableString.Invariant($"tp{s.Tp} {s.Input} in c{s.Concurrency}: prefill measured {s.MeasuredPrefill:0.0} ms expected {s.ExpectedPrefill:0.0} ({s.PrefillError:+0%;-0%}); decode step measured {s.MeasuredDecode:0.00} ms expected {s.ExpectedDecode:0.00} ({s.DecodeError:+0%;-0%})"));
        }

        // 2 input lengths × 3 TPs × concurrency 8, 16, 32.
        Assert.Equal(18, implied.Count);

        // Measured 2026-12-02 with the measured kernel tables: the prefill a request adds to a step lands at a median
        // |error| of 8 % (time ratio 1.02), so what the benchmark's TTFT misses is how requests queue and group, not
        // what a prefill costs. The decode step is short by a median 13 % (0.3–1.4 ms at TP2, 1.4–2.3 ms at TP8).
        Assert.InRange(MeasuredCheckTests.Median(implied.Select(s => Math.Abs(s.PrefillError))), 0, 0.12);
        Assert.InRange(Math.Exp(implied.Average(s => Math.Log(s.ExpectedPrefill / s.MeasuredPrefill))), 0.9, 1.1);
        Assert.InRange(MeasuredCheckTests.Median(implied.Select(s => Math.Abs(s.DecodeError))), 0, 0.2);
    }

    [Fact]
    public void Measured_vllm_serving_runs_land_within_the_stated_bounds()
    {
        var rows = Check();
        foreach (var r in rows.OrderBy(r => r.Metric).ThenBy(r => r.Tp).ThenBy(r => r.Input).ThenBy(r => r.Output).ThenBy(r => r.Concurrency))
        {
            output.WriteLine(FormattableString.Invariant($"{r.Metric} tp{r.Tp} {r.Input}x{r.Output} c{r.Concurrency}: measured {r.Measured:0.0} expected {r.Expected:0.0} ({r.Error:+0%;-0%}) bound {r.Bound:0.0}"));
        }

        output.WriteLine(Summary(rows));
        Assert.Equal(186, rows.Count);

        // Stated bounds (measured 2026-12-02 with the measured kernel tables): TTFT median |error| 35 %, time ratio
        // 1.2 — identical requests started together stay in lockstep longer here than on the real server; TPOT
        // median 15 %, time ratio 0.87. The target is 15 % and 0.85–1.15 for both.
        var ttft = rows.Where(r => r.Metric == "ttft_ms").ToList();
        var tpot = rows.Where(r => r.Metric == "tpot_ms").ToList();
        Assert.InRange(MeasuredCheckTests.Median(ttft.Select(r => Math.Abs(r.Error))), 0, 0.45);
        Assert.InRange(TimeRatio(ttft), 0.8, 1.5);
        Assert.InRange(MeasuredCheckTests.Median(tpot.Select(r => Math.Abs(r.Error))), 0, 0.2);
        Assert.InRange(TimeRatio(tpot), 0.8, 1.1);
    }
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PerfNotebooks.Physical.Kernels;

namespace PerfNotebooks.Tests.Kernels;

/// The tool that regenerates src/PerfNotebooks/Physical/Kernels/calibration.json from AIConfigurator's tables
/// (PERFNB_REGENERATE_CALIBRATION=1 dotnet test --filter Shipped_calibration): for each GPU and kernel family,
/// fixed + FLOPs·a + bytes·b by least squares on relative error over the training four fifths of the rows.
public static class CalibrationFitter
{
    public const string Commit = "095f58a51c4ca8e61b66ec108d86f223f8d559ce";

    public static readonly string[] Gpus = ["a100_sxm", "b200_sxm", "h100_sxm", "h200_sxm", "l40s"];

    public static JsonObject Fit(string systems)
    {
        var gpus = new JsonObject();
        foreach (var gpu in Gpus)
        {
            var tables = KernelTables.Load(systems, gpu, KernelRowSplit.Training);
            var fits = new JsonObject();
            foreach (var group in tables.Samples.GroupBy(s => s.Table).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var rows = group.ToArray();
                var fit = Solve(rows);
                var errors = rows.Select(r => Math.Abs((fit.Seconds(r.Work) / r.Seconds) - 1)).Order().ToArray();
                fits[group.Key] = new JsonObject
                {
                    ["fixed_s"] = Round(fit.FixedSeconds),
                    ["s_per_flop"] = Round(fit.SecondsPerFlop),
                    ["s_per_byte"] = Round(fit.SecondsPerByte),
                    ["rows"] = rows.Length,
                    ["median_abs_rel_error"] = Round(errors[errors.Length / 2]),
                    ["source"] = $"AIConfigurator {Commit}, systems/data/{gpu}/{FileOf(group.Key)}; training rows (4 of 5, FNV split); least squares on relative error, non-negative",
                };
            }

            var yaml = File.ReadAllLines(Path.Combine(systems, gpu + ".yaml"));
            double Yaml(string key) => double.Parse(yaml.Select(l => l.Trim()).First(l => l.StartsWith(key + ":", StringComparison.Ordinal))[(key.Length + 1)..].Split('#')[0].Trim(), CultureInfo.InvariantCulture);
            fits["elementwise"] = new JsonObject
            {
                ["fixed_s"] = Round(Yaml("mem_empirical_constant_latency")),
                ["s_per_flop"] = 0.0,
                ["s_per_byte"] = Round(1 / (Yaml("mem_bw") * Yaml("mem_bw_empirical_scaling_factor"))),
                ["source"] = $"AIConfigurator {Commit}, systems/{gpu}.yaml: mem_empirical_constant_latency, 1 / (mem_bw · mem_bw_empirical_scaling_factor)",
            };
            gpus[gpu] = new JsonObject { ["moe_distribution"] = tables.MoeDistribution, ["fits"] = fits };
        }

        return new JsonObject
        {
            ["source"] = $"Fitted from NVIDIA AIConfigurator (github.com/ai-dynamo/aiconfigurator, Apache-2.0) commit {Commit}, aic-core/src/aiconfigurator_core/systems/; regenerate with tests/PerfNotebooks.Tests/Kernels/CalibrationFitter.cs",
            ["model"] = "seconds = fixed_s + flops * s_per_flop + bytes * s_per_byte (flops and bytes: PerfNotebooks.Physical.Kernels.KernelWork)",
            ["gpus"] = gpus,
        };
    }

    public static string Serialize(JsonObject calibration) =>
        calibration.ToJsonString(new JsonSerializerOptions { WriteIndented = true }).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";

    /// Non-negative least squares on relative residuals (fit/t − 1): the best of the 7 subsets of terms whose solution is non-negative.
    public static KernelFit Solve(IReadOnlyList<KernelSample> rows)
    {
        double[][] x = [.. rows.Select(r => new[] { 1 / r.Seconds, r.Work.Flops / r.Seconds, r.Work.Bytes / r.Seconds })];
        var scale = new double[3];
        for (var j = 0; j < 3; j++)
        {
            scale[j] = Math.Sqrt(x.Average(row => row[j] * row[j]));
        }

        double[]? best = null;
        var bestResidual = double.PositiveInfinity;
        for (var mask = 1; mask < 8; mask++)
        {
            int[] cols = [.. Enumerable.Range(0, 3).Where(j => (mask & (1 << j)) != 0 && scale[j] > 0)];
            if (cols.Length == 0)
            {
                continue;
            }

            var a = new double[cols.Length, cols.Length];
            var b = new double[cols.Length];
            foreach (var row in x)
            {
                for (var p = 0; p < cols.Length; p++)
                {
                    var xp = row[cols[p]] / scale[cols[p]];
                    b[p] += xp;
                    for (var q = 0; q < cols.Length; q++)
                    {
                        a[p, q] += xp * row[cols[q]] / scale[cols[q]];
                    }
                }
            }

            var beta = Gauss(a, b);
            if (beta is null || beta.Any(v => v < 0))
            {
                continue;
            }

            var full = new double[3];
            for (var p = 0; p < cols.Length; p++)
            {
                full[cols[p]] = beta[p] / scale[cols[p]];
            }

            var residual = x.Sum(row => Math.Pow((row[0] * full[0]) + (row[1] * full[1]) + (row[2] * full[2]) - 1, 2));
            if (residual < bestResidual)
            {
                bestResidual = residual;
                best = full;
            }
        }

        return best is null ? throw new InvalidOperationException("no non-negative fit") : new KernelFit(best[0], best[1], best[2]);
    }

    private static double[]? Gauss(double[,] a, double[] b)
    {
        var n = b.Length;
        var m = (double[,])a.Clone();
        var v = (double[])b.Clone();
        for (var c = 0; c < n; c++)
        {
            var pivot = Enumerable.Range(c, n - c).MaxBy(r => Math.Abs(m[r, c]));
            if (Math.Abs(m[pivot, c]) < 1e-12)
            {
                return null;
            }

            for (var k = 0; k < n; k++)
            {
                (m[c, k], m[pivot, k]) = (m[pivot, k], m[c, k]);
            }

            (v[c], v[pivot]) = (v[pivot], v[c]);
            for (var r = 0; r < n; r++)
            {
                if (r != c)
                {
                    var f = m[r, c] / m[c, c];
                    for (var k = 0; k < n; k++)
                    {
                        m[r, k] -= f * m[c, k];
                    }

                    v[r] -= f * v[c];
                }
            }
        }

        return [.. Enumerable.Range(0, n).Select(i => v[i] / m[i, i])];
    }

    private static double Round(double value) => value == 0 ? 0 : double.Parse(value.ToString("G6", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static string FileOf(string group) => group switch
    {
        _ when group.StartsWith("gemm.", StringComparison.Ordinal) => "gemm/vllm/*/gemm_perf.parquet",
        "prefill_attention" => "attention/vllm/*/context_attention_perf.parquet",
        "decode_attention" => "attention/vllm/*/generation_attention_perf.parquet",
        _ when group.StartsWith("moe.", StringComparison.Ordinal) => "moe/vllm/*/moe_perf.parquet",
        _ => "comm/vllm/*/custom_allreduce_perf.parquet (vllm_graph) and comm/nccl/*/nccl_perf.parquet (all_reduce), faster of the two",
    };
}

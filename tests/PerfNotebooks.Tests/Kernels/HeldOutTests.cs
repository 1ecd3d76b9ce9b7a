using PerfNotebooks.Hardware;
using PerfNotebooks.Physical;
using PerfNotebooks.Physical.Kernels;

namespace PerfNotebooks.Tests.Kernels;

public class HeldOutTests
{
    // Median and p90 |estimate / measured − 1| on the held-out fifth, as measured (docs/kernel-calibration.md), rounded
    // up to the next 0.5 point (median) and 1 point (p90): a change to the interpolation that makes any table worse fails here.
    private static readonly Dictionary<string, (double Median, double P90)> Bounds = new()
    {
        ["A100-80GB allreduce"] = (0.060, 0.30),
        ["A100-80GB decode_attention"] = (0.025, 0.16),
        ["A100-80GB gemm"] = (0.050, 0.18),
        ["A100-80GB moe"] = (0.030, 0.11),
        ["A100-80GB prefill_attention"] = (0.050, 0.27),
        ["H100-SXM allreduce"] = (0.020, 0.10),
        ["H100-SXM decode_attention"] = (0.020, 0.11),
        ["H100-SXM gemm"] = (0.045, 0.19),
        ["H100-SXM moe"] = (0.025, 0.15),
        ["H100-SXM prefill_attention"] = (0.035, 0.19),
        ["H200 allreduce"] = (0.020, 0.06),
        ["H200 decode_attention"] = (0.015, 0.11),
        ["H200 gemm"] = (0.040, 0.19),
        ["H200 moe"] = (0.025, 0.16),
        ["H200 prefill_attention"] = (0.035, 0.20),
        ["B200 allreduce"] = (0.075, 0.36),
        ["B200 decode_attention"] = (0.030, 0.16),
        ["B200 gemm"] = (0.050, 0.30),
        ["B200 moe"] = (0.025, 0.14),
        ["B200 prefill_attention"] = (0.040, 0.21),
        ["L40S allreduce"] = (0.030, 0.28),
        ["L40S decode_attention"] = (0.030, 0.53),
        ["L40S gemm"] = (0.045, 0.19),
        ["L40S moe"] = (0.020, 0.19),
        ["L40S prefill_attention"] = (0.050, 0.32),
    };

    [Fact]
    public void Held_out_rows_interpolate_within_the_measured_error_bounds()
    {
        var report = HeldOutReport.Markdown();
        if (Environment.GetEnvironmentVariable("PERFNB_WRITE_REPORT") is { Length: > 0 } path)
        {
            File.WriteAllText(path, report);
        }

        Assert.Equal(Bounds.Keys.Order(StringComparer.Ordinal), HeldOutReport.Rows.Select(r => $"{r.Gpu} {r.Family}").Order(StringComparer.Ordinal));
        foreach (var row in HeldOutReport.Rows)
        {
            var (median, p90) = Bounds[$"{row.Gpu} {row.Family}"];
            Assert.True(row.Median <= median, $"{row.Gpu} {row.Family}: median |error| {row.Median:P2} > {median:P1}");
            Assert.True(row.P90 <= p90, $"{row.Gpu} {row.Family}: p90 |error| {row.P90:P2} > {p90:P0}");
        }
    }

    [Fact]
    public void Measured_timer_beats_the_fitted_curves_on_held_out_rows()
    {
        foreach (var row in HeldOutReport.Rows)
        {
            Assert.True(row.Median < row.FittedMedian, $"{row.Gpu} {row.Family}: interpolation {row.Median:P1} vs fit {row.FittedMedian:P1}");
        }
    }

    [Fact]
    public void Most_held_out_rows_are_answered_from_measurements()
    {
        Assert.All(HeldOutReport.Rows, row => Assert.InRange(row.MeasuredShare, 0.8, 1.0));
    }

    [Fact]
    public void Measured_grid_point_returns_the_measured_time_exactly()
    {
        var tables = KernelTables.Load(Paths.SiliconSystems, "h100_sxm");
        var timer = new MeasuredKernelTimer(tables, new FittedKernelTimer(GpuCatalog.Find("H100-SXM")));
        var gemm = tables.Samples.First(s => s.Table == "gemm.bfloat16");
        var decode = tables.Samples.First(s => s.Table == "decode_attention");

        Assert.Equal(gemm.Seconds, gemm.Estimate(timer).Seconds, gemm.Seconds * 1e-12);
        Assert.Equal(KernelTimeSource.Measured, gemm.Estimate(timer).Source);
        Assert.Equal(decode.Seconds, decode.Estimate(timer).Seconds, decode.Seconds * 1e-12);
    }
}

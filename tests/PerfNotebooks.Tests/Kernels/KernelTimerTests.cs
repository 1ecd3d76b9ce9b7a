using PerfNotebooks.Hardware;
using PerfNotebooks.Models;
using PerfNotebooks.Physical;
using PerfNotebooks.Physical.Kernels;

namespace PerfNotebooks.Tests.Kernels;

public class KernelTimerTests
{
    private static readonly Lazy<MeasuredKernelTimer> H100 = new(() => MeasuredKernelTimer.Load(Paths.SiliconSystems, GpuCatalog.Find("H100-SXM")));
    private static readonly AttentionShape Llama8b = new(32, 8, 128, KernelDtype.BFloat16, KernelDtype.BFloat16);

    [Fact]
    public void Measured_times_are_never_faster_than_the_roofline()
    {
        var roof = new RooflineKernelTimer(GpuCatalog.Find("H100-SXM"));
        var t = H100.Value;

        Assert.True(t.Gemm(8192, 8192, 8192, KernelDtype.BFloat16).Seconds > roof.Gemm(8192, 8192, 8192, KernelDtype.BFloat16).Seconds);
        Assert.True(t.Gemm(1, 4096, 4096, KernelDtype.BFloat16).Seconds > roof.Gemm(1, 4096, 4096, KernelDtype.BFloat16).Seconds);
        Assert.True(t.DecodeAttention(64, 8192, Llama8b).Seconds > roof.DecodeAttention(64, 8192, Llama8b).Seconds);
        Assert.True(t.PrefillAttention(1, 4096, 4096, Llama8b).Seconds > roof.PrefillAttention(1, 4096, 4096, Llama8b).Seconds);
        Assert.True(t.AllReduce(16 << 20, 8).Seconds > roof.AllReduce(16 << 20, 8).Seconds);
    }

    [Fact]
    public void Gemm_between_measured_m_is_between_its_neighbours()
    {
        var t = H100.Value;
        var lo = t.Gemm(2048, 4096, 4096, KernelDtype.BFloat16);
        var mid = t.Gemm(2300, 4096, 4096, KernelDtype.BFloat16);
        var hi = t.Gemm(2304, 4096, 4096, KernelDtype.BFloat16);

        Assert.Equal(KernelTimeSource.Measured, mid.Source);
        Assert.InRange(mid.Seconds, Math.Min(lo.Seconds, hi.Seconds), Math.Max(lo.Seconds, hi.Seconds));
    }

    [Fact]
    public void Gemm_beyond_the_measured_m_is_fitted_and_grows()
    {
        var t = H100.Value;
        var edge = t.Gemm(32768, 4096, 4096, KernelDtype.BFloat16);
        var beyond = t.Gemm(65536, 4096, 4096, KernelDtype.BFloat16);

        Assert.Equal(KernelTimeSource.Measured, edge.Source);
        Assert.Equal(KernelTimeSource.Fitted, beyond.Source);
        Assert.InRange(beyond.Seconds / edge.Seconds, 1.6, 2.1); // compute-bound: about twice the FLOPs
    }

    [Fact]
    public void Unmeasured_window_falls_back_to_the_fitted_curve()
    {
        var t = H100.Value.DecodeAttention(8, 8192, Llama8b with { Window = 4096 });

        Assert.Equal(KernelTimeSource.Fitted, t.Source);
        Assert.Equal(H100.Value.Fitted.DecodeAttention(8, 8192, Llama8b with { Window = 4096 }).Seconds, t.Seconds, 1e-15);
    }

    [Fact]
    public void Decode_attention_grows_with_context()
    {
        var t = H100.Value;

        Assert.True(t.DecodeAttention(64, 16384, Llama8b).Seconds > 1.5 * t.DecodeAttention(64, 4096, Llama8b).Seconds);
    }

    [Fact]
    public void Chunked_prefill_with_history_costs_more_than_without()
    {
        var t = H100.Value;

        Assert.True(t.PrefillAttention(1, 2048, 8192, Llama8b).Seconds > t.PrefillAttention(1, 2048, 2048, Llama8b).Seconds);
    }

    [Fact]
    public void All_reduce_on_one_gpu_costs_nothing()
    {
        Assert.Equal(0, H100.Value.AllReduce(1 << 20, 1).Seconds);
    }

    [Fact]
    public void Moe_of_a_measured_mixtral_shape_is_measured()
    {
        var t = H100.Value.Moe(256, new MoeShape(4096, 14336, 2, 8, 1, 1, KernelDtype.BFloat16));

        Assert.Equal(KernelTimeSource.Measured, t.Source);
        Assert.InRange(t.Seconds, 1e-4, 1e-2);
    }

    [Fact]
    public void Gpu_without_tables_uses_the_nearest_architecture_scaled_to_its_peaks()
    {
        var pcie = new FittedKernelTimer(GpuCatalog.Find("H100-PCIe"));
        var sxm = new FittedKernelTimer(GpuCatalog.Find("H100-SXM"));

        Assert.Equal("h100_sxm", pcie.AicGpu);
        Assert.Contains("H100-PCIe's datasheet peaks", pcie.Notes, StringComparison.Ordinal);
        // Weight-read bound decode GEMM: bandwidth 3.35 / 2.0 TB/s slower, fixed cost unchanged.
        sxm.TryGetFit("gemm.bfloat16", out var s);
        pcie.TryGetFit("gemm.bfloat16", out var p);
        Assert.Equal(s.FixedSeconds, p.FixedSeconds);
        Assert.Equal(s.SecondsPerByte * 3350 / 2000, p.SecondsPerByte, s.SecondsPerByte * 1e-12);
        Assert.Equal(s.SecondsPerFlop * 989.4 / 756, p.SecondsPerFlop, s.SecondsPerFlop * 1e-12);
        Assert.Equal(KernelTimeSource.Fitted, pcie.Gemm(1, 4096, 4096, KernelDtype.BFloat16).Source);
    }

    [Theory]
    [InlineData("H100-PCIe")]
    [InlineData("L4")]
    [InlineData("GB200")]
    [InlineData("MI300X")]
    [InlineData("MI325X")]
    [InlineData("A100-40GB")]
    public void Every_catalog_gpu_has_fitted_times_no_faster_than_its_roofline(string gpu)
    {
        var spec = GpuCatalog.Find(gpu);
        var fitted = new FittedKernelTimer(spec);
        var roof = new RooflineKernelTimer(spec);

        Assert.True(fitted.Gemm(4096, 4096, 4096, KernelDtype.BFloat16).Seconds > roof.Gemm(4096, 4096, 4096, KernelDtype.BFloat16).Seconds);
        Assert.True(fitted.DecodeAttention(32, 4096, Llama8b).Seconds >= roof.DecodeAttention(32, 4096, Llama8b).Seconds);
        Assert.True(fitted.Elementwise(1 << 24).Seconds > roof.Elementwise(1 << 24).Seconds);
    }

    [Fact]
    public void Elementwise_uses_aiconfigurator_memory_model()
    {
        var t = new FittedKernelTimer(GpuCatalog.Find("H100-SXM")).Elementwise(1_000_000);

        // h100_sxm.yaml: 3 µs + bytes / (3.35 TB/s · 0.8).
        Assert.Equal(3e-6 + (1e6 / (3350e9 * 0.8)), t.Seconds, 1e-12);
    }

    [Fact]
    public void Missing_gpu_folder_names_the_folder_and_what_is_there()
    {
        var e = Assert.Throws<ModelConfigException>(() => KernelTables.Load(Paths.SiliconSystems, "tpu_v5"));

        Assert.Contains("tpu_v5", e.Message, StringComparison.Ordinal);
        Assert.Contains("h100_sxm", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_table_names_the_file()
    {
        var root = Directory.CreateTempSubdirectory("perfnb-silicon-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "data", "h100_sxm"));
            var e = Assert.Throws<ModelConfigException>(() => KernelTables.Load(root, "h100_sxm"));

            Assert.Contains("gemm_perf.parquet", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Table_without_a_column_names_the_file_and_column()
    {
        var root = Directory.CreateTempSubdirectory("perfnb-silicon-").FullName;
        try
        {
            var gemm = Path.Combine(root, "data", "h100_sxm", "gemm", "vllm", "0.24.0");
            Directory.CreateDirectory(gemm);
            // An NCCL table where the GEMM table should be: it has latency but no m, n, k or gemm_dtype.
            var nccl = Directory.GetFiles(Path.Combine(Paths.SiliconSystems, "data", "h100_sxm", "comm", "nccl"), "nccl_perf.parquet", SearchOption.AllDirectories)[0];
            File.Copy(nccl, Path.Combine(gemm, "gemm_perf.parquet"));
            var e = Assert.Throws<ModelConfigException>(() => KernelTables.Load(root, "h100_sxm"));

            Assert.EndsWith("gemm_perf.parquet", e.Source, StringComparison.Ordinal);
            Assert.Equal("m", e.Key);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Corrupt_table_is_one_clear_error()
    {
        var root = Directory.CreateTempSubdirectory("perfnb-silicon-").FullName;
        try
        {
            var gemm = Path.Combine(root, "data", "h100_sxm", "gemm", "vllm", "0.24.0");
            Directory.CreateDirectory(gemm);
            File.WriteAllText(Path.Combine(gemm, "gemm_perf.parquet"), "not parquet");
            var e = Assert.Throws<ModelConfigException>(() => KernelTables.Load(root, "h100_sxm"));

            Assert.Contains("gemm_perf.parquet", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Expected_timer_is_measured_with_tables_fitted_without_and_roofline_for_unknown_gpus()
    {
        var h100 = GpuCatalog.Find("H100-SXM");
        var custom = h100 with { Name = "my-gpu" };

        Assert.IsType<MeasuredKernelTimer>(KernelTimers.Expected(h100, Paths.SiliconSystems));
        Assert.IsType<FittedKernelTimer>(KernelTimers.Expected(h100));
        Assert.IsType<RooflineKernelTimer>(KernelTimers.Expected(custom));
        Assert.Equal(KernelTimeSource.Roofline, KernelTimers.Bound(h100).Gemm(1, 1, 1, KernelDtype.BFloat16).Source);
    }

    [Fact]
    public void Unmeasured_n_and_k_rescale_the_nearest_measured_gemm()
    {
        var t = H100.Value;
        var measured = t.Gemm(512, 8192, 8192, KernelDtype.BFloat16);
        var between = t.Gemm(512, 9000, 8192, KernelDtype.BFloat16);

        Assert.Equal(KernelTimeSource.Measured, between.Source);
        Assert.InRange(between.Seconds / measured.Seconds, 1.0, 9000.0 / 8192 * 1.05);
    }
}

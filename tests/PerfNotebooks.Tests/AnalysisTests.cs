using PerfNotebooks.Analysis;
using PerfNotebooks.Hardware;
using PerfNotebooks.Models;

namespace PerfNotebooks.Tests;

/// The README's worked example (Llama-3.1-8B on one H100 SXM), checked by hand.
public class AnalysisTests
{
    private static readonly GpuSpec H100 = GpuCatalog.Find("H100-SXM");

    [Fact]
    public void Memory_plan_matches_hand_computed_weights_and_kv_capacity()
    {
        var plan = MemoryPlanner.Plan(Models.Catalog("llama-3.1-8b"), H100, contextLength: 8192);

        // attn: 4096·48·128·2·32 + 32·128·4096·2·32; FFN: 3·4096·14336·2·32; unembed and embed: 128256·4096·2 each.
        Assert.Equal(
            [("attn", (Int128)2_684_354_560), ("ffn.dense", 11_274_289_152), ("unembed", 1_050_673_152), ("embed", 1_050_673_152)],
            plan.Weights.ToArray());
        Assert.Equal(16_059_990_016, plan.WeightBytes);          // 8.03 B parameters × 2 bytes
        Assert.Equal(131_072, plan.KvBytesPerToken);              // 2 · 32 layers · 8 KV heads · 128 · 2 bytes
        Assert.Equal(72e9, plan.UsableBytes, 3);                  // 80 GB × 0.9
        Assert.Equal(426_788, plan.TokensThatFit);                // ⌊(72e9 − 16,059,990,016) / 131,072⌋
        Assert.Equal(52, plan.SequencesThatFit);                  // ⌊426,788 / 8192⌋
        Assert.True(plan.Fits);
    }

    [Fact]
    public void Layout_that_does_not_fit_says_by_how_much()
    {
        var plan = MemoryPlanner.Plan(Models.Catalog("llama-3.1-405b"), H100);

        Assert.False(plan.Fits);
        Assert.Equal(0, plan.TokensThatFit);
        Assert.Equal((double)plan.WeightBytes - 72e9, plan.ShortfallBytes, 0);
    }

    [Fact]
    public void Tensor_parallel_divides_weights_and_kv_per_gpu()
    {
        var tp1 = MemoryPlanner.Plan(Models.Catalog("llama-3.1-70b"), H100);
        var tp4 = MemoryPlanner.Plan(Models.Catalog("llama-3.1-70b", new EngineSettings { TensorParallel = 4 }), H100);

        Assert.Equal(tp1.WeightBytes, tp4.WeightBytes * 4);
        Assert.Equal(tp1.KvBytesPerToken, tp4.KvBytesPerToken * 4);
        Assert.False(tp1.Fits);
        Assert.True(tp4.Fits);
    }

    [Fact]
    public void Roofline_is_memory_bound_below_ridge_point()
    {
        var report = Roofline.Analyze(Models.Catalog("llama-3.1-8b"), Batch.Decode(4096), H100);

        Assert.Equal(ComputeDtype.Bf16, report.Dtype);
        Assert.Equal(989.4e12 / 3.35e12, report.Ridge, 9);
        Assert.Equal(Bound.Memory, report.Step.Bound);
        Assert.Equal((double)report.Step.Bytes / 3.35e12, report.Step.Seconds, 12);
        Assert.Equal((double)report.Step.Flops / (double)report.Step.Bytes * 3.35e12, report.Step.AttainableFlopsPerSecond, 0);
        Assert.All(report.Operations, o => Assert.Equal(Bound.Memory, o.Bound));
        Assert.Null(report.Communication);
    }

    [Fact]
    public void Roofline_is_compute_bound_for_a_long_prefill()
    {
        var report = Roofline.Analyze(Models.Catalog("llama-3.1-8b"), Batch.Prefill(8192), H100);

        Assert.Equal(Bound.Compute, report.Step.Bound);
        Assert.Equal((double)report.Step.Flops / 989.4e12, report.Step.Seconds, 12);
        Assert.Equal(["attn.qkv", "attn.attention", "attn.out", "ffn.dense", "unembed"], report.Operations.Select(o => o.Name));
        Assert.True(report.StepSeconds >= report.Step.Seconds);
    }

    [Fact]
    public void Tp_all_reduce_is_its_own_line_with_ring_traffic()
    {
        var report = Roofline.Analyze(Models.Catalog("llama-3.1-70b", new EngineSettings { TensorParallel = 4 }), Batch.Prefill(1000), H100);

        // 2 all-reduces × 80 layers of 1000 · 8192 · 2 bytes; a ring sends 2·(4−1)/4 of it; half of 900 GB/s per direction.
        var comm = Assert.IsType<RooflineRow>(report.Communication);
        Assert.Equal(3_932_160_000, comm.Bytes);
        Assert.Equal(3_932_160_000 / 450e9, comm.Seconds, 12);
        Assert.Equal(Bound.Communication, comm.Bound);
        Assert.Equal(report.Operations.Sum(o => o.Seconds) + comm.Seconds, report.StepSeconds, 12);
    }

    [Fact]
    public void Fp8_checkpoint_uses_fp8_peak_where_the_gpu_has_it()
    {
        var fp8 = Models.Catalog("qwen3-32b-fp8");

        Assert.Equal(ComputeDtype.Fp8, Roofline.DefaultDtype(fp8.Source, H100));
        Assert.Equal(ComputeDtype.Bf16, Roofline.DefaultDtype(fp8.Source, GpuCatalog.Find("A100-80GB")));
    }

    [Fact]
    public void Efficiency_scales_peaks_and_times()
    {
        var measured = H100 with { FlopsEfficiency = 0.5, BandwidthEfficiency = 0.8 };
        var metrics = Models.Catalog("llama-3.1-8b");

        var ideal = Roofline.Analyze(metrics, Batch.Decode(4096), measured);
        var real = Roofline.Analyze(metrics, Batch.Decode(4096), measured, applyEfficiency: true);

        Assert.Equal(ideal.Step.Seconds / 0.8, real.Step.Seconds, 12);
    }

    [Fact]
    public void Gpu_without_the_dtype_gets_a_clear_error()
    {
        var error = Assert.Throws<InvalidValueException>(() => GpuCatalog.Find("A100-80GB").Peak(ComputeDtype.Fp8));

        Assert.StartsWith("A100-80GB has no fp8 peak in its datasheet; it has", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Catalog_has_every_required_gpu_with_a_source()
    {
        foreach (var name in new[] { "A100-40GB", "A100-80GB", "H100-SXM", "H100-PCIe", "H200", "B200", "GB200", "L40S", "L4", "MI300X", "MI325X" })
        {
            var gpu = GpuCatalog.Find(name);
            Assert.False(string.IsNullOrEmpty(gpu.Source));
            Assert.True(gpu.Supports(ComputeDtype.Bf16));
        }

        Assert.Equal(4.8e12, GpuCatalog.Find("h200").MemoryBytesPerSecond);
    }

    [Fact]
    public void User_gpu_file_with_a_bad_field_names_it()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, """{"name": "X", "peak_tflops": {"bf16": 100}, "memory_gb": 10, "memory_bandwidth_gbps": -1, "interconnect_gbps": 10}""");

        var error = Assert.Throws<ModelConfigException>(() => GpuCatalog.Find(file));

        Assert.Equal($"{file}: 'memory_bandwidth_gbps': must be a positive number, not -1", error.Message);
        File.Delete(file);
    }
}

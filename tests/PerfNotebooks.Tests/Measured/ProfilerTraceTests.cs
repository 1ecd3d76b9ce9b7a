using System.IO.Compression;
using System.Text;
using PerfNotebooks.Measured;
using PerfNotebooks.Vllm.Profiling;
namespace PerfNotebooks.Tests.Measured;

public class ProfilerTraceTests
{
    private static string RealTrace => Path.Combine(Paths.Traces, "v100-train-rank-0.pt.trace.json.gz");

    private static string LlmTrace => Path.Combine(Paths.MeasuredFixtures, "llm-tp2-steps.pt.trace.json");

    [Fact]
    public void Real_trace_streams_whole_with_every_event_and_kernel()
    {
        var t = ProfilerTrace.Load(RealTrace);
        Assert.True(t.IsComplete);
        Assert.Equal(68_692, t.Events);
        Assert.Equal(6_095, t.Kernels); // 4,350 kernels, 1,600 copies, 145 sets
        Assert.Equal("Tesla V100-SXM2-32GB", t.Device);
        Assert.Equal(0.472454441, t.KernelSeconds, 9);
        Assert.Empty(t.Skipped);
    }

    [Fact]
    public void Real_trace_steps_are_its_profiler_steps_joined_by_launch()
    {
        // ProfilerStep#101–105 exist only on the CPU timeline: kernels join them through their launch's correlation id.
        // Per-step sums from a Python json/Decimal pass over the same file (1,219 kernels in each step, none outside).
        var t = ProfilerTrace.Load(RealTrace);
        Assert.Equal(["ProfilerStep#101", "ProfilerStep#102", "ProfilerStep#103", "ProfilerStep#104", "ProfilerStep#105"], t.Steps.Select(s => s.Name));
        Assert.Equal([94.569795, 94.591138, 94.459362, 94.561467, 94.272679], t.Steps.Select(s => Math.Round(s.KernelSeconds * 1e3, 6)));
        Assert.All(t.Steps, s => Assert.Equal(1219, s.Kernels));
        Assert.Equal(0, t.OutsideStepSeconds.Sum());
    }

    [Fact]
    public void Llm_fixture_steps_by_category_are_the_hand_counts()
    {
        // make_llm_trace.py: prefill step = GEMM 2·180 + 25, attention 2·32, collectives 2·30, elementwise 2·17 + 3 + 2 + 8,
        // copy 4 (µs); each decode step = GEMM 2·48 + 25, attention 2·13, collectives 2·16, elementwise 2·7 + 2 + 2 + 8, copy 4.
        var t = ProfilerTrace.Load(LlmTrace);
        Assert.True(t.IsComplete);
        Assert.Equal(4, t.Steps.Length);
        Assert.All(t.Steps, s => Assert.Equal("gpu_model_runner: forward", s.Name));
        var prefill = t.Steps[0];
        Assert.Equal([385.0, 64, 0, 60, 47, 4, 0], prefill.CategorySeconds.Select(s => Math.Round(s * 1e6, 6)));
        Assert.All(t.Steps.Skip(1), d => Assert.Equal([121.0, 26, 0, 32, 26, 4, 0], d.CategorySeconds.Select(s => Math.Round(s * 1e6, 6))));

        // The warm-up copy before the first step is outside every step; the whole trace is 1,197 µs.
        Assert.Equal(10e-6, t.OutsideStepSeconds[(int)KernelCategory.Memcpy], 12);
        Assert.Equal(1197e-6, t.KernelSeconds, 12);
        Assert.Equal("NVIDIA H100 80GB HBM3", t.Device);
    }

    [Fact]
    public void Gzip_and_plain_give_the_same_result()
    {
        var plain = ProfilerTrace.Load(LlmTrace);
        using var packed = new MemoryStream();
        using (var gz = new GZipStream(packed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(File.ReadAllBytes(LlmTrace));
        }

        packed.Position = 0;
        var unpacked = ProfilerTrace.Read(packed, "x.pt.trace.json.gz");
        Assert.Equal(plain.Steps.Select(s => s.KernelSeconds), unpacked.Steps.Select(s => s.KernelSeconds));
        Assert.Equal(plain.Events, unpacked.Events);
    }

    [Fact]
    public void A_trace_cut_short_gives_the_steps_read_and_says_so()
    {
        var bytes = File.ReadAllBytes(LlmTrace);
        var t = ProfilerTrace.Read(new MemoryStream(bytes[..(bytes.Length / 2)]), "half.json");
        Assert.False(t.IsComplete);
        Assert.InRange(t.Events, 1, 250);
        Assert.Contains(t.Skipped, s => s.ToString().StartsWith("half.json: trace cut short after", StringComparison.Ordinal));
    }

    [Fact]
    public void A_gzip_error_gives_the_part_read_and_one_line()
    {
        using var packed = new MemoryStream();
        using (var gz = new GZipStream(packed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(File.ReadAllBytes(LlmTrace));
        }

        var bytes = packed.ToArray();
        for (var i = bytes.Length / 2; i < bytes.Length / 2 + 64; i++)
        {
            bytes[i] ^= 0x5a;
        }

        var t = ProfilerTrace.Read(new MemoryStream(bytes), "bad.gz");
        Assert.False(t.IsComplete);
        var reason = Assert.Single(t.Skipped.Where(s => s.Reason.Contains("error", StringComparison.Ordinal) || s.Reason.Contains("cut short", StringComparison.Ordinal)));
        Assert.DoesNotContain('\n', reason.Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"traceEvents\": [{\"ph\": \"X\", \"cat\": \"kernel\", \"name\": \"gemm\", \"ts\": 1, \"dur\"")]
    [InlineData("{\"traceEvents\": [1, 2, [3]]}")]
    [InlineData("{\"traceEvents\": [{\"ph\": \"X\", \"cat\": \"kernel\", \"name\": \"gemm\", \"ts\": \"x\", \"dur\": 1}]}")]
    [InlineData("not json at all")]
    public void Broken_traces_never_throw(string text)
    {
        var t = ProfilerTrace.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), "t.json");
        Assert.Equal(0, t.KernelSeconds);
        Assert.True(!t.IsComplete || t.Skipped.Length > 0 || t.Events > 0);
    }

    [Fact]
    public void Profiler_config_finds_the_per_rank_files_in_its_directory()
    {
        var dir = Directory.CreateTempSubdirectory("perfnb-traces").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "dp0_pp0_tp1_dcp0_ep0_rank1.1733130000000000000.pt.trace.json.gz"), "");
            File.WriteAllText(Path.Combine(dir, "dp0_pp0_tp0_dcp0_ep0_rank0.1733130000000000000.pt.trace.json"), "");
            File.WriteAllText(Path.Combine(dir, "notes.txt"), "");
            var found = ProfilerTrace.Find(new ProfilerConfig { Profiler = "torch", TorchProfilerDir = dir });
            Assert.Equal(["dp0_pp0_tp0_dcp0_ep0_rank0.1733130000000000000.pt.trace.json", "dp0_pp0_tp1_dcp0_ep0_rank1.1733130000000000000.pt.trace.json.gz"],
                found.Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("1712195495505583.0", 1712195495505583000L)]
    [InlineData("4.928", 4928L)]
    [InlineData("1.2345", 1234L)]
    [InlineData("7", 7000L)]
    [InlineData("1.5e3", 1500000L)]
    public void Times_in_microseconds_parse_to_exact_nanoseconds(string text, long ns)
    {
        Assert.True(TraceScanner.TryNanoseconds(Encoding.ASCII.GetBytes(text), out var parsed));
        Assert.Equal(ns, parsed);
    }

    [Theory]
    [InlineData("ncclDevKernel_AllReduce_Sum_bf16_RING_LL(ncclDevKernelArgsStorage<4096ul>)", KernelCategory.Collective)]
    [InlineData("fused_moe_kernel", KernelCategory.Moe)]
    [InlineData("void vllm::moe::topkGatingSoftmax<8, 64, 4, 16, long, int>(float const*, bool const*, float*, int, int*, int*, int, int, int)", KernelCategory.Moe)]
    [InlineData("void flash::flash_fwd_splitkv_kernel<Flash_fwd_kernel_traits<128, 64, 128, 4, false, false, cutlass::bfloat16_t>>", KernelCategory.Attention)]
    [InlineData("BatchDecodeWithPagedKVCacheKernel", KernelCategory.Attention)]
    [InlineData("kernel_unified_attention_2d", KernelCategory.Attention)]
    [InlineData("sm90_xmma_gemm_bf16bf16_bf16f32_f32_tn_n_tilesize128x128x64_cublas", KernelCategory.Gemm)]
    [InlineData("nvjet_tst_128x256_64x4_1x2_h_bz_coopB_TNT", KernelCategory.Gemm)]
    [InlineData("void vllm::rms_norm_kernel<c10::BFloat16, 8, 2>(c10::BFloat16*)", KernelCategory.Elementwise)]
    [InlineData("Memcpy DtoD (Device -> Device)", KernelCategory.Memcpy)]
    [InlineData("some_custom_thing", KernelCategory.Other)]
    public void Kernel_names_sort_into_categories(string name, KernelCategory category) => Assert.Equal(category, KernelClassifier.Classify(name));
}

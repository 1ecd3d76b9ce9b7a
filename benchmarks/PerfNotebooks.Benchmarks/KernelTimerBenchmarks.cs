using BenchmarkDotNet.Attributes;
using PerfNotebooks.Hardware;
using PerfNotebooks.Physical;
using PerfNotebooks.Physical.Kernels;

namespace PerfNotebooks.Benchmarks;

/// One kernel-time lookup per kind and timer on H100-SXM (tables loaded and indexed once in setup). Shapes are
/// llama-3.1-70b at TP 8: an off-grid m (interpolated between measured m), a decode at an off-grid context, and so on.
/// The measured tables come from PERFNB_SILICON or ../shared/silicon beside the repository.
[MemoryDiagnoser]
public class KernelTimerBenchmarks
{
    private static readonly AttentionShape Attention = new(8, 1, 128, KernelDtype.BFloat16, KernelDtype.BFloat16);
    private static readonly MoeShape Mixtral = new(4096, 14336, 2, 8, 1, 1, KernelDtype.BFloat16);
    private IKernelTimer _timer = null!;

    [Params("Measured", "Fitted", "Roofline")]
    public string Timer { get; set; } = "Measured";

    [GlobalSetup]
    public void Setup()
    {
        var gpu = GpuCatalog.Find("H100-SXM");
        _timer = Timer switch
        {
            "Measured" => MeasuredKernelTimer.Load(Systems(), gpu),
            "Fitted" => new FittedKernelTimer(gpu),
            _ => new RooflineKernelTimer(gpu),
        };
    }

    [Benchmark(Description = "GEMM (m 300, n 8192, k 1280)")]
    public KernelTime Gemm() => _timer.Gemm(300, 8192, 1280, KernelDtype.BFloat16);

    [Benchmark(Description = "decode attention (batch 64, context 5000)")]
    public KernelTime Decode() => _timer.DecodeAttention(64, 5000, Attention);

    [Benchmark(Description = "prefill attention (1 × 3000)")]
    public KernelTime Prefill() => _timer.PrefillAttention(1, 3000, 3000, Attention);

    [Benchmark(Description = "MoE (300 tokens, Mixtral)")]
    public KernelTime Moe() => _timer.Moe(300, Mixtral);

    [Benchmark(Description = "all-reduce (1.3 MB, 8 GPUs)")]
    public KernelTime AllReduce() => _timer.AllReduce(1_310_720, 8);

    private static string Systems()
    {
        if (Environment.GetEnvironmentVariable("PERFNB_SILICON") is { Length: > 0 } overridden)
        {
            return Path.Combine(overridden, "aiconfigurator");
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PerfNotebooks.sln")))
            {
                return Path.Combine(dir.FullName, "..", "shared", "silicon", "aiconfigurator");
            }
        }

        throw new InvalidOperationException("set PERFNB_SILICON to the folder holding aiconfigurator/");
    }
}

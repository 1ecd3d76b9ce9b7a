using System.Diagnostics;
using System.Text;
using BenchmarkDotNet.Attributes;
using PerfNotebooks.Measured;
namespace PerfNotebooks.Benchmarks;

/// <summary>Streams a synthetic LLM-shaped profiler trace of about 1 GB (kernels, launches and step annotations as
/// Kineto writes them), written to a temporary folder in setup and deleted after.</summary>
[MemoryDiagnoser]
public class TraceBenchmarks
{
    private string _folder = string.Empty;
    private string _path = string.Empty;

    [Params(1L << 30)]
    public long Bytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("perfnb-trace-bench").FullName;
        _path = Path.Combine(_folder, "dp0_pp0_tp0_dcp0_ep0_rank0.1.pt.trace.json");
        using var writer = new StreamWriter(_path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write("{\n  \"schemaVersion\": 1,\n  \"deviceProperties\": [{\"id\": 0, \"name\": \"NVIDIA H100 80GB HBM3\"}],\n  \"traceEvents\": [\n");
        string[] kernels =
        [
            "sm90_xmma_gemm_bf16bf16_bf16f32_f32_tn_n_tilesize128x128x64_warpgroupsize1x1x1_execute_segment_k_off_kernel__5x_cublas",
            "void flash::flash_fwd_splitkv_kernel<Flash_fwd_kernel_traits<128, 64, 128, 4, false, false, cutlass::bfloat16_t>, true>(flash::Flash_fwd_params)",
            "void vllm::fused_add_rms_norm_kernel<c10::BFloat16, 8>(c10::BFloat16*, long, c10::BFloat16*, c10::BFloat16 const*, float, int, int)",
            "ncclDevKernel_AllReduce_Sum_bf16_RING_LL(ncclDevKernelArgsStorage<4096ul>)",
        ];
        long written = 0, corr = 0, step = 0;
        double cpu = 1_000_000, gpu = 1_000_050;
        var first = true;
        while (written < Bytes)
        {
            var line = $"{(first ? string.Empty : ",\n")}  {{\"ph\": \"X\", \"cat\": \"gpu_user_annotation\", \"name\": \"gpu_model_runner: forward\", \"pid\": 0, \"tid\": 7, \"ts\": {gpu:F3}, \"dur\": 1000.0, \"args\": {{\"External id\": {step++}}}}}";
            writer.Write(line);
            written += line.Length;
            first = false;
            for (var i = 0; i < 128; i++)
            {
                corr++;
                var launch = $",\n  {{\"ph\": \"X\", \"cat\": \"cuda_runtime\", \"name\": \"cudaLaunchKernel\", \"pid\": 4242, \"tid\": 4242, \"ts\": {cpu:F3}, \"dur\": 3.5, \"args\": {{\"External id\": {corr}, \"cbid\": 211, \"correlation\": {corr}}}}}";
                var kernel = $",\n  {{\"ph\": \"X\", \"cat\": \"kernel\", \"name\": \"{kernels[i % kernels.Length]}\", \"pid\": 0, \"tid\": 7, \"ts\": {gpu:F3}, \"dur\": 7.5, \"args\": {{\"External id\": {corr}, \"queued\": 0, \"device\": 0, \"context\": 1, \"stream\": 7, \"correlation\": {corr}, \"registers per thread\": 128, \"shared memory\": 49152, \"grid\": [132, 1, 1], \"block\": [256, 1, 1]}}}}";
                writer.Write(launch);
                writer.Write(kernel);
                written += launch.Length + kernel.Length;
                cpu += 4;
                gpu += 7.8;
            }
        }

        writer.Write("\n  ],\n  \"displayTimeUnit\": \"ms\"\n}\n");
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    /// <summary>One pass over the file; reports MB/s and the process's peak working set on the console.</summary>
    [Benchmark]
    public double StreamTrace()
    {
        var watch = Stopwatch.StartNew();
        var trace = ProfilerTrace.Load(_path);
        var seconds = watch.Elapsed.TotalSeconds;
        using var process = Process.GetCurrentProcess();
        Console.WriteLine($"// {new FileInfo(_path).Length / 1e6:F0} MB, {trace.Events:N0} events, {trace.Steps.Length:N0} steps in {seconds:F2} s: " +
                          $"{new FileInfo(_path).Length / 1e6 / seconds:F0} MB/s; peak working set {process.PeakWorkingSet64 / 1e6:F0} MB");
        return trace.KernelSeconds;
    }
}

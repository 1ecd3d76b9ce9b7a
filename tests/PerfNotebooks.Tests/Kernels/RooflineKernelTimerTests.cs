using PerfNotebooks.Hardware;
using PerfNotebooks.Physical;
using PerfNotebooks.Physical.Kernels;

namespace PerfNotebooks.Tests.Kernels;

public class RooflineKernelTimerTests
{
    private static readonly RooflineKernelTimer H100 = new(GpuCatalog.Find("H100-SXM"));
    private static readonly AttentionShape Llama8b = new(32, 8, 128, KernelDtype.BFloat16, KernelDtype.BFloat16);

    [Fact]
    public void Large_bf16_gemm_is_compute_bound_at_datasheet_peak()
    {
        var t = H100.Gemm(8192, 8192, 8192, KernelDtype.BFloat16);

        // 2·8192³ = 1.0995e12 FLOPs at 989.4e12 FLOP/s.
        Assert.Equal(2.0 * 8192 * 8192 * 8192 / 989.4e12, t.Seconds, 1e-12);
        Assert.Equal(KernelTimeSource.Roofline, t.Source);
    }

    [Fact]
    public void Batch_one_gemm_is_weight_read_bound()
    {
        var t = H100.Gemm(1, 4096, 4096, KernelDtype.BFloat16);

        // Bytes: 1·4096·2 + 4096·4096·2 + 1·4096·2 = 33,570,816 at 3.35e12 B/s.
        Assert.Equal(33_570_816 / 3.35e12, t.Seconds, 1e-15);
    }

    [Fact]
    public void Fp8_gemm_reads_half_the_weight_bytes()
    {
        var bf16 = H100.Gemm(1, 8192, 8192, KernelDtype.BFloat16).Seconds;
        var fp8 = H100.Gemm(1, 8192, 8192, KernelDtype.Fp8).Seconds;

        Assert.InRange(fp8 / bf16, 0.49, 0.51);
    }

    [Fact]
    public void Fp8_on_a100_falls_back_to_bf16_peak()
    {
        var a100 = new RooflineKernelTimer(GpuCatalog.Find("A100-80GB"));

        Assert.Equal(2.0 * 8192 * 8192 * 8192 / 312e12, a100.Gemm(8192, 8192, 8192, KernelDtype.Fp8).Seconds, 1e-12);
    }

    [Fact]
    public void Causal_prefill_scores_half_the_square_plus_the_diagonal()
    {
        Assert.Equal(4 * 5 / 2.0, KernelWork.CausalPairs(4, 4, 0));           // 1+2+3+4
        Assert.Equal((3 * 10) + 6.0, KernelWork.CausalPairs(3, 13, 0));      // history 10: 11+12+13
        Assert.Equal(1 + 2 + 3 + 3.0, KernelWork.CausalPairs(4, 4, 3));      // window 3: queries see 1, 2, 3, 3 keys
    }

    [Fact]
    public void Decode_attention_reads_the_kv_cache()
    {
        var t = H100.DecodeAttention(64, 8192, Llama8b);

        // Per request: Q+O 2·32·128·2 = 16,384; KV read 2·8192·8·128·2 = 33,554,432; KV write 2·8·128·2 = 4,096.
        Assert.Equal(64.0 * (16_384 + 33_554_432 + 4_096) / 3.35e12, t.Seconds, 1e-15);
    }

    [Fact]
    public void All_reduce_is_a_ring_at_half_the_quoted_link_bandwidth()
    {
        // 2·(8−1)/8 · 16 MiB at 450 GB/s per direction.
        Assert.Equal(2.0 * 7 / 8 * 16_777_216 / 450e9, H100.AllReduce(16_777_216, 8).Seconds, 1e-15);
        Assert.Equal(0, H100.AllReduce(16_777_216, 1).Seconds);
    }

    [Fact]
    public void Moe_with_one_token_reads_only_topk_experts()
    {
        var shape = new MoeShape(4096, 14336, 2, 8, 1, 1, KernelDtype.BFloat16);

        var one = KernelWork.Moe(1, shape);
        var many = KernelWork.Moe(4096, shape);

        Assert.Equal(2, KernelWork.ExpectedExpertsTouched(1, 2, 8), 12);
        Assert.Equal(8, KernelWork.ExpectedExpertsTouched(4096, 2, 8), 9);
        // One token: 2 experts · 3·4096·14336 · 2 B = 704,643,072; hidden in/out 4096·2·2 = 16,384; intermediates 2·14336·2·3 = 172,032.
        Assert.Equal(704_831_488, one.Bytes, 3);
        // 4096 tokens: all 8 experts (2,818,572,288) + 67,108,864 hidden + 8192·14336·6 = 704,643,072.
        Assert.Equal(3_590_324_224, many.Bytes, 1);
    }

    [Fact]
    public void Gemm_rejects_zero_tokens()
    {
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => H100.Gemm(0, 4096, 4096, KernelDtype.BFloat16));
    }
}

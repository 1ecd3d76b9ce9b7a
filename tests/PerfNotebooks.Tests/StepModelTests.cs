using PerfNotebooks.Hardware;
using PerfNotebooks.Models;
using PerfNotebooks.Physical;
using PerfNotebooks.Physical.Kernels;
using PerfNotebooks.Vllm;

namespace PerfNotebooks.Tests;

public class StepModelTests
{
    private static readonly GpuSpec H100 = GpuCatalog.Find("H100-SXM");

    /// Every kernel call takes one microsecond: expected time counts calls.
    private sealed class MicrosecondTimer : IKernelTimer
    {
        private static readonly KernelTime Us = new(1e-6, KernelTimeSource.Measured);

        public string Gpu => "test";

        public KernelTimeSource Kind => KernelTimeSource.Measured;

        public KernelTime Gemm(long m, long n, long k, KernelDtype dtype) => Us;

        public KernelTime PrefillAttention(long batch, long tokens, long contextLength, AttentionShape shape) => Us;

        public KernelTime DecodeAttention(long batch, long contextLength, AttentionShape shape) => Us;

        public KernelTime Moe(long tokens, MoeShape shape) => Us;

        public KernelTime AllReduce(long bytes, int gpus) => Us;

        public KernelTime Elementwise(long bytes) => Us;
    }

    private static StepModel Steps(string name, EngineSettings? engine = null, IKernelTimer? timer = null, EngineOverhead? overhead = null) =>
        new(PhysicalModel.From(ModelSource.Resolve(ModelCatalog.Find(name).Load(), engine)), H100, timer, overhead);

    [Fact]
    public void Pipeline_step_time_is_the_sum_of_the_stages_plus_the_transfers()
    {
        var pp1 = Steps("llama-3.1-70b", new EngineSettings { TensorParallel = 4 });
        var pp2 = Steps("llama-3.1-70b", new EngineSettings { TensorParallel = 4, PipelineParallel = 2 });
        var batch = Batch.Decodes(64, 8192);

        // Both stages' 40 layers each run one after the other: the same kernels as one stage of 80 layers, plus one
        // transfer of hidden states and residual (64 tokens · 8192 · 2 bytes · 2) at α 10 µs + bytes ÷ 450 GB/s.
        var transfer = LinkModel.NcclLatencySeconds + (64.0 * 8192 * 2 * 2 / (H100.InterconnectBytesPerSecond / 2));
        Assert.Equal(pp1.Estimate(batch).ExpectedSeconds + transfer, pp2.Estimate(batch).ExpectedSeconds, 12);
        var perStage = pp2.Operations(batch).Where(o => o.Name.StartsWith("attn.", StringComparison.Ordinal)).Select(o => o.Calls).Distinct().Single();
        Assert.Equal(80, perStage);
    }

    [Fact]
    public void Expected_time_counts_every_kernel_call_and_the_engine_overhead()
    {
        var steps = Steps("llama-3.1-8b", timer: new MicrosecondTimer(), overhead: new EngineOverhead(1e-3, 1e-5));
        var time = steps.Estimate(Batch.Decodes(4, 1000));

        // embed 1, norms 64, qkv 32, rotary 32, attention 32, out 32, gate_up 32, act 32, down 32, final norm 1, lm_head 1, sampling 1 = 292 calls.
        Assert.Equal((292 * 1e-6) + 1e-3 + (4 * 1e-5), time.ExpectedSeconds, 12);
        Assert.Equal(1e-3 + 4e-5, time.OverheadSeconds, 12);
    }

    [Fact]
    public void Prefill_attention_is_causal_about_half_the_score_matrix()
    {
        var shape = new AttentionShape(32, 8, 128, KernelDtype.BFloat16, KernelDtype.BFloat16);
        var (flops, _) = StepModel.PrefillAttentionCost(1, 1000, 1000, shape);

        Assert.Equal(4.0 * 32 * 128 * (1000 * 1001 / 2), flops);   // Σ_{i=1}^{1000} i query-key pairs
    }

    [Fact]
    public void Logits_are_computed_only_for_sampled_tokens()
    {
        var steps = Steps("llama-3.1-8b");
        var lmHead = steps.Operations(Batch.Prefill(2048).WithDecodes(3, 100)).Single(o => o.Name == "lm_head");

        Assert.Equal(4, lmHead.M);   // one prefill and three decodes sample one token each, not 2051
        Assert.Equal(2.0 * 4 * 128_256 * 4096, lmHead.FlopsPerCall);
    }

    [Fact]
    public void A_single_decode_with_expert_parallelism_reads_the_experts_it_routes_to()
    {
        var steps = Steps("qwen3-30b-a3b", new EngineSettings { TensorParallel = 8, DataParallel = 2, EnableExpertParallel = true });
        var experts = steps.Operations(Batch.Decodes(1, 1000)).Single(o => o.Name == "moe.experts");

        // EP 16 ranks of 8 experts; the two DP ranks' tokens touch 128·(1 − (1 − 8/128)²) = 15.5 experts, 1/16 of them here.
        var touched = StepModel.ExpectedExpertsTouched(128, 8, 2) / 16;
        Assert.Equal(16, experts.Moe.ExpertParallel);
        Assert.True(experts.BytesPerCall >= touched * 3 * 2048 * 768 * 2);
        Assert.True(touched > 0.9);
        Assert.Contains(steps.Operations(Batch.Decodes(1, 1000)), o => o.Name == "ep.all_to_all");
    }

    [Fact]
    public void Bound_alone_is_the_same_double_as_the_bound_beside_the_expected_time()
    {
        // The serving simulator's bound clock asks for the bound alone; it must not drift from Estimate's.
        foreach (var (name, engine) in new[] { ("mixtral-8x7b", new EngineSettings { TensorParallel = 2 }), ("llama-3.1-8b", new EngineSettings()) })
        {
            var steps = Steps(name, engine);
            foreach (var batch in new[] { Batch.Empty, Batch.Decodes(1, 128), Batch.Decodes(64, 4096), Batch.Prefill(2048), Batch.Prefill(512).WithDecodes(7, 1500) })
            {
                Assert.Equal(steps.Estimate(batch).BoundSeconds, steps.BoundSeconds(batch));
                Assert.Equal(steps.Estimate(batch, 3).BoundSeconds, steps.BoundSeconds(batch, 3));
            }
        }
    }

    [Fact]
    public void Bound_is_never_above_the_expected_time_of_the_datasheet_timer()
    {
        var steps = Steps("mixtral-8x7b", new EngineSettings { TensorParallel = 2 });
        foreach (var batch in new[] { Batch.Decodes(1, 128), Batch.Decodes(64, 4096), Batch.Prefill(2048) })
        {
            var time = steps.Estimate(batch);
            Assert.InRange(time.BoundSeconds, 1e-6, time.ExpectedSeconds);
        }
    }

    [Fact]
    public void Roofline_of_an_awq_checkpoint_times_the_physical_weights_and_says_what_the_vllm_book_skips()
    {
        var config = ModelCatalog.Find("llama-3.1-8b").Load().WithOverrides((System.Text.Json.Nodes.JsonObject)System.Text.Json.Nodes.JsonNode.Parse(
            """{"quantization_config": {"quant_method": "awq", "bits": 4, "group_size": 128, "zero_point": true}}""")!);
        var metrics = ModelMetrics.Create(ModelSource.Resolve(config, new EngineSettings { Dtype = "float16", Vllm = VllmRevision.V2025_12 }));
        var report = PerfModel.From("awq", metrics).Roofline(Batch.Decodes(1, 1024), H100);

        // vLLM 2025-12's book skips attention and FFN (it knows only fp8, fbgemm_fp8, mxfp4); the physical book reads
        // 3.63 GB of int4 weights with their scales, 2.1 GB of fp16 embeddings (gather plus logits: the unembedding)
        // and the KV cache: at least (3.63 + 1.05) GB ÷ 3.35 TB/s = 1.4 ms, not the 501 µs of the unembedding alone.
        Assert.Contains(report.Warnings, w => w.StartsWith("vLLM book skips", StringComparison.Ordinal));
        Assert.True(report.Physical!.Value.BoundSeconds > (3.62e9 + 1.05e9) / 3.35e12);
        Assert.Contains(report.PhysicalOperations, o => o.Name == "attn.decode" && o.BytesPerCall > 0);
        Assert.Equal(KernelDtype.Int4WeightOnly, report.PhysicalOperations.Single(o => o.Name == "ffn.down").Dtype);
    }

    [Fact]
    public void Every_timer_names_its_kind_in_words()
    {
        Assert.Equal("roofline", new RooflineKernelTimer(H100).Kind.DisplayName());
        Assert.Equal("fitted", new FittedKernelTimer(H100).Kind.DisplayName());
        Assert.Equal(["measured", "fitted", "roofline"], Enum.GetValues<KernelTimeSource>().Select(k => k.DisplayName()));
    }
}

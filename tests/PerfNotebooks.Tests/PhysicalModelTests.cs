using PerfNotebooks.Analysis;
using PerfNotebooks.Hardware;
using PerfNotebooks.Models;
using PerfNotebooks.Physical;
using PerfNotebooks.Vllm;

namespace PerfNotebooks.Tests;

public class PhysicalModelTests
{
    private static readonly GpuSpec H100 = GpuCatalog.Find("H100-SXM");

    private static PhysicalModel Physical(string name, EngineSettings? engine = null) =>
        PhysicalModel.From(ModelSource.Resolve(ModelCatalog.Find(name).Load(), engine));

    private static PhysicalModel Physical(HfConfig config, EngineSettings? engine = null) =>
        PhysicalModel.From(ModelSource.Resolve(config, engine));

    [Fact]
    public void Memory_plan_keeps_the_whole_tp_sharded_dense_ffn_on_every_data_parallel_replica()
    {
        var plan = MemoryPlanner.Plan(
            Models.Catalog("llama-3.1-70b", new EngineSettings { TensorParallel = 4, DataParallel = 2 }), H100, contextLength: 8192);

        // 80 layers · 3 · 8192 · 28672 · 2 bytes ÷ TP 4 = 28,185,722,880 (vLLM's parser divides by DP×TP: 14.1 GB).
        Assert.Equal((Int128)28_185_722_880, plan.Weights.Single(w => w.Part == "ffn.dense").Bytes);
        Assert.Equal(81_920, plan.KvBytesPerToken);   // 2 · 80 layers · 2 KV heads per rank · 128 · 2 bytes
        // (72e9 − 35,271,245,824 weight bytes) ÷ (81,920 · 8192) = 54.7 sequences (vLLM-book bytes gave 75).
        Assert.Equal(54, plan.SequencesThatFit);
    }

    [Fact]
    public void Data_parallel_does_not_change_per_gpu_weights_of_a_dense_model()
    {
        var dp1 = MemoryPlanner.Plan(Models.Catalog("llama-3.1-70b", new EngineSettings { TensorParallel = 4 }), H100);
        var dp2 = MemoryPlanner.Plan(Models.Catalog("llama-3.1-70b", new EngineSettings { TensorParallel = 4, DataParallel = 2 }), H100);

        Assert.Equal(dp1.WeightBytes, dp2.WeightBytes);
    }

    [Fact]
    public void Llama4_scout_counts_its_shared_expert_and_lands_near_the_published_109_billion()
    {
        var scout = Physical("llama-4-scout-17b-16e");

        // 48 MoE layers · (16 routed + 1 shared) · 3 · 5120 · 8192 + attention 48 · 62.9 M + 2 · 202048 · 5120 + router
        // = 107.77 B; the published 109 B includes the vision encoder, which the text config does not describe.
        Assert.Equal(48, scout.MoeLayers);
        Assert.Equal(8192, scout.SharedIntermediateSize);
        Assert.Equal(107.77e9, scout.TotalParameters, 0.01e9);
        Assert.InRange(scout.TotalParameters / 109e9, 0.98, 1.0);
        Assert.Equal(17e9, scout.ActiveParameters, 0.3e9);  // "17B active"
    }

    [Fact]
    public void Top_k_comes_from_the_shared_resolution_so_gemma4_routes_each_token_to_eight_experts()
    {
        var source = ModelSource.Resolve(ModelCatalog.Find("gemma-4-26b-a4b").Load());
        var gemma = PhysicalModel.From(source);

        // Gemma 4 names its top-k top_k_experts, one of vLLM's get_num_experts_per_tok aliases.
        Assert.Equal(8, source.NumExpertsPerToken().Value);
        Assert.Equal(8, gemma.TopK);
        Assert.Equal(source.Shape.TopK, gemma.TopK);
        // 8 of 128 experts active: 25.7 B total, 4.3 B active ("A4B").
        Assert.InRange(gemma.ActiveParameters, 4.0e9, 4.5e9);
    }

    [Fact]
    public void Shapes_are_resolved_only_when_asked_so_the_vllm_book_counts_a_model_the_physical_book_refuses()
    {
        var source = ModelSource.Resolve(Models.Tiny("""{"num_hidden_layers": 2000000}"""));

        Assert.NotEmpty(ModelMetrics.Create(source).Components);
        var error = Assert.Throws<ModelConfigException>(() => source.Shape);
        Assert.Contains("num_hidden_layers", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gpt_oss_sliding_window_layers_hold_only_their_window()
    {
        var oss = Physical("gpt-oss-20b");

        Assert.Equal(12, oss.SlidingLayers);
        Assert.Equal(128, oss.Window);
        Assert.Equal(24_576, oss.KvBytesPerToken);   // 2 · 12 full layers · 8 KV heads · 64 · 2 bytes
        Assert.Equal((24_576.0 * 131_072) + (24_576.0 * 128), oss.KvBytesPerSequence(131_072));
        Assert.Equal(24_576.0 * 2 * 100, oss.KvBytesPerSequence(100));   // short context: every layer holds all of it
    }

    [Fact]
    public void Gpt_oss_quantizes_only_its_experts_to_mxfp4()
    {
        var oss = Physical("gpt-oss-20b");

        Assert.Equal(4.25, oss.ExpertFormat.BitsPerWeight);
        Assert.Equal(16, oss.LinearFormat.BitsPerWeight);
        Assert.True(oss.IsComplete);
    }

    [Fact]
    public void Mla_caches_one_latent_per_token_per_layer_on_every_rank()
    {
        var config = Models.Tiny("""{"kv_lora_rank": 512, "qk_rope_head_dim": 64, "qk_nope_head_dim": 128, "v_head_dim": 128}""");
        var mla = Physical(config, new EngineSettings { TensorParallel = 2 });

        Assert.True(mla.IsMla);
        Assert.Equal((512 + 64) * 2 * 2, mla.KvBytesPerToken);   // (kv_lora_rank + rope) · 2 bytes · 2 layers, not split by TP
    }

    [Fact]
    public void Awq_weights_are_four_bits_plus_group_scales_and_zeros_and_the_kv_cache_is_present()
    {
        var config = ModelCatalog.Find("llama-3.1-8b").Load().WithOverrides((System.Text.Json.Nodes.JsonObject)System.Text.Json.Nodes.JsonNode.Parse(
            """{"quantization_config": {"quant_method": "awq", "bits": 4, "group_size": 128, "zero_point": true, "version": "gemm"}}""")!);
        var awq = Physical(config, new EngineSettings { Dtype = "float16" });
        var plan = MemoryPlanner.Plan(awq, H100, contextLength: 8192);

        // 4 bits + (16-bit scale + 4-bit zero) ÷ 128 = 4.15625 bits per weight.
        Assert.Equal(4.15625, awq.LinearFormat.BitsPerWeight);
        // Linear: 32 · (41,943,040 attention + 176,160,768 FFN) = 6,979,321,856 weights → 3,625,975,808 bytes; + 2 × 1,050,673,152 fp16 embeddings.
        Assert.Equal((Int128)(3_625_975_808 + (2 * 1_050_673_152L)), plan.WeightBytes);
        Assert.Equal(131_072, plan.KvBytesPerToken);
        Assert.Empty(plan.Warnings);
    }

    [Fact]
    public void An_unmodelled_quantization_is_reported_and_never_looks_complete()
    {
        var config = Models.Tiny("""{"quantization_config": {"quant_method": "gguf"}}""");
        var model = Physical(config);
        var plan = MemoryPlanner.Plan(model, H100);

        Assert.False(model.IsComplete);
        Assert.Contains(plan.Warnings, w => w.Contains("gguf", StringComparison.Ordinal) && w.Contains("not modelled", StringComparison.Ordinal));
        Assert.False(model.LinearFormat.Understood);
    }

    [Fact]
    public void Expected_experts_touched_follows_the_occupancy_formula()
    {
        Assert.Equal(2, StepModel.ExpectedExpertsTouched(8, 2, 1), 12);
        Assert.Equal(8 * (1 - Math.Pow(0.75, 3)), StepModel.ExpectedExpertsTouched(8, 2, 3), 12);
        Assert.Equal(0, StepModel.ExpectedExpertsTouched(8, 2, 0));
    }
}

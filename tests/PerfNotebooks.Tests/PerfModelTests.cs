using PerfNotebooks.Hardware;
using PerfNotebooks.Models;
using PerfNotebooks.Requests;
using PerfNotebooks.Vllm;
using PerfNotebooks.Vllm.Stats;

namespace PerfNotebooks.Tests;

public class PerfModelTests
{
    [Fact]
    public void Load_by_catalog_name_matches_the_metrics_built_by_hand()
    {
        var model = PerfModel.Load("llama-3.1-70b", new EngineSettings { TensorParallel = 4 });
        var step = Batch.Prefill(2048).WithDecodes(32, contextLength: 8192);

        var byHand = ModelMetrics.Create(ModelSource.Resolve(ModelCatalog.Load("llama-3.1-70b"), new EngineSettings { TensorParallel = 4 }));

        Assert.Equal(byHand.Flops(step), model.Flops(step));
        Assert.Equal(byHand.ReadBytes(step), model.ReadBytes(step));
        Assert.Equal(byHand.WriteBytes(step), model.WriteBytes(step));
        Assert.Equal(4, model.Engine.TensorParallel);
    }

    [Fact]
    public void Readme_library_snippet_needs_only_the_root_namespace()
    {
        // The README's snippet, line for line: this file imports nothing but the root namespace.
        var model = PerfModel.Load("llama-3.1-70b", new EngineSettings { TensorParallel = 4 });
        var step = Batch.Prefill(2048).WithDecodes(32, contextLength: 8192);
        Breakdown flops = model.Flops(step);
        var h100 = GpuCatalog.Find("H100-SXM");

        Assert.Equal("74.1 TFLOP", Units.Flops(flops.Total));   // vLLM 2026-09: logits for the 33 sampled tokens only
        Assert.Empty(model.Skipped);
        Assert.StartsWith("1 prefill of 2,048 tokens + 32 decode at 8,192 context, per GPU: 74.1 TFLOP", model.Step(step).ToString(), StringComparison.Ordinal);
        Assert.StartsWith("roofline on H100-SXM:", model.Roofline(step, h100).ToString(), StringComparison.Ordinal);
        Assert.StartsWith("memory per GPU on H100-SXM", model.Memory(h100, contextLength: 8192).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_is_the_physical_step_the_roofline_shows_beside_the_vllm_book()
    {
        var model = PerfModel.Load("llama-3.1-70b", new EngineSettings { TensorParallel = 4 });
        var step = Batch.Prefill(2048).WithDecodes(32, contextLength: 8192);
        var h100 = GpuCatalog.Find("H100-SXM");

        var estimate = model.Estimate(step, h100);

        Assert.Equal(estimate, model.Roofline(step, h100).Physical);
        Assert.Equal(estimate, model.Estimate(step, new GpuChoice { Gpu = h100 }));
        Assert.InRange(estimate.BoundSeconds, 1e-6, estimate.ExpectedSeconds);
        // The vLLM book's own roofline holds counts only.
        Assert.Null(Analysis.Roofline.Analyze(model.Metrics, step, h100).Physical);
    }

    [Fact]
    public void Roofline_of_a_model_the_physical_book_refuses_keeps_the_exact_counts_and_says_why()
    {
        var config = HfConfig.Parse(Models.TinyJson, "tiny.json").WithOverrides(
            (System.Text.Json.Nodes.JsonObject)System.Text.Json.Nodes.JsonNode.Parse("""{"num_hidden_layers": 2000000}""")!);
        var model = PerfModel.From("tiny", ModelMetrics.Create(ModelSource.Resolve(config)));
        var h100 = GpuCatalog.Find("H100-SXM");

        var vllmBook = Analysis.Roofline.Analyze(model.Metrics, Batch.Decodes(1, 16), h100);
        var composed = model.Roofline(Batch.Decodes(1, 16), h100);

        Assert.Empty(vllmBook.Warnings);
        Assert.Equal(vllmBook.Step, composed.Step);
        Assert.Null(composed.Physical);
        Assert.StartsWith("physical estimate unavailable: tiny.json: 'num_hidden_layers': is 2,000,000", Assert.Single(composed.Warnings), StringComparison.Ordinal);
        Assert.Throws<ModelConfigException>(() => model.Estimate(Batch.Decodes(1, 16), h100));
    }

    [Fact]
    public void Exports_are_what_vllm_logs_for_the_steps()
    {
        var model = PerfModel.Load("llama-3.1-8b");
        Batch[] steps = [Batch.Decodes(4, 1024), Batch.Prefill(512)];

        var exports = model.Exports(steps, 2.0);

        Assert.Equal(VllmExports.ForSteps(model.Metrics, steps, 2.0, "llama-3.1-8b").MfuLogLine, exports.MfuLogLine);
        Assert.Equal(VllmExports.ForSteps(model.Metrics, steps, 2.0, "llama-3.1-8b").PrometheusText, exports.PrometheusText);
        Assert.Equal(VllmRevision.Default, exports.Revision);
        Assert.NotNull(exports.MfuLogLine);
    }

    [Fact]
    public void ModelMetrics_Load_accepts_a_catalog_name()
    {
        var metrics = ModelMetrics.Load("llama-3.1-8b");

        // 2·T·D·(q+2kv)·d·L = 2 · 1 · 4096 · 48 · 128 · 32 for one decode token.
        Assert.Equal((Int128)2 * 4096 * 48 * 128 * 32, metrics.Flops(Batch.Decode(4096))["attn.qkv_proj"]);
    }

    [Fact]
    public void Memory_plan_prints_a_summary_not_a_record_dump()
    {
        var plan = PerfModel.Load("llama-3.1-8b").Memory(GpuCatalog.Find("H100-SXM"), contextLength: 8192);

        // The README's worked example: 16,059,990,016 B of weights, 426,788 tokens, 52 sequences of 8,192.
        Assert.Equal(
            "memory per GPU on H100-SXM (80.0 GB, utilization 0.9): weights 16.1 GB, KV cache 55.9 GB at 131 kB per token = 426,788 tokens, 52 sequences of 8,192",
            plan.ToString());
    }

    [Fact]
    public void Roofline_prints_one_line_per_operation_and_the_step()
    {
        var report = PerfModel.Load("llama-3.1-8b").Roofline(Batch.Decode(4096), GpuCatalog.Find("H100-SXM"));

        var lines = report.ToString().Split('\n');
        Assert.Equal("roofline on H100-SXM: bf16 peak 989 TFLOP/s, 3.35 TB/s, ridge 295 FLOP/B", lines[0]);
        Assert.Equal("  attn.qkv: 1.61 GFLOP, 1.61 GB, 1.00 FLOP/B, memory-bound, 481 µs", lines[1]);
        Assert.Equal("step 4.64 ms in sequence, lower bound 4.64 ms; memory-bound", lines[^1]);
    }

    [Fact]
    public void Step_summary_names_the_batch_per_request()
    {
        var step = PerfModel.Load("llama-3.1-8b").Step(Batch.Decodes(32, 8192));

        Assert.StartsWith("32 decode at 8,192 context, per GPU: ", step.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Gpu_file_efficiency_applies_to_the_roofline_without_a_flag()
    {
        var gpu = GpuCatalog.Find("H100-SXM") with { BandwidthEfficiency = 0.5 };
        var model = PerfModel.Load("llama-3.1-8b");

        var slow = model.Roofline(Batch.Decode(4096), gpu);
        var fast = model.Roofline(Batch.Decode(4096), GpuCatalog.Find("H100-SXM"));

        Assert.Equal(fast.Step.Seconds * 2, slow.Step.Seconds, 1e-12);
    }

    [Fact]
    public void Summary_and_sweep_rows_print_one_readable_line()
    {
        var model = PerfModel.Load("mixtral-8x7b", new EngineSettings { TensorParallel = 4 });

        var row = model.Sweep(decodeBatches: [64], contexts: [8192]).Single();

        Assert.Equal("mixtral-8x7b: 46.7 Gparams (12.9 Gactive), 32 layers × 4096, 32/8 heads, 8 experts top-2, bfloat16", model.Summary.ToString());
        // The CLI snapshot's H100-SXM TP4 point: 19.1 ms expected per step (physical book), 64 tokens ÷ 19.1 ms ÷ 4 GPUs
        // = 838 tok/s per GPU.
        Assert.StartsWith("mixtral-8x7b on H100-SXM TP4 PP1 DP1, decode 64x8192: step 19.1 ms, 838 tok/s output per GPU, MFU ", row.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.PositiveInfinity, "∞ B")]
    [InlineData(double.NaN, "n/a B")]
    [InlineData(1.5e30, "1.50e+30 B")]
    [InlineData(8e10, "80.0 GB")]
    public void Byte_amounts_never_print_Infinity_or_long_digit_runs(double bytes, string expected)
    {
        Assert.Equal(expected, Units.Bytes(bytes));
    }

    [Theory]
    [InlineData(1e110, "1.16e+105 d")]
    [InlineData(7200, "2.00 h")]
    [InlineData(150, "2.50 min")]
    [InlineData(0.0123, "12.3 ms")]
    [InlineData(double.PositiveInfinity, "∞ s")]
    public void Durations_stay_short(double seconds, string expected)
    {
        Assert.Equal(expected, Units.Seconds(seconds));
    }
}

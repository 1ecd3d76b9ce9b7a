using System.Text.Json;
using PerfNotebooks.Models;
using PerfNotebooks.Vllm;
using PerfNotebooks.Vllm.Interop;
using PerfNotebooks.Vllm.Stats;

namespace PerfNotebooks.Tests;

public class VllmExportsTests
{
    [Fact]
    public void Mfu_line_and_counter_increments_match_every_golden_latest_log_line()
    {
        var checkedLines = 0;
        foreach (var line in File.ReadLines(Path.Combine(Paths.GoldenLatest, "scheduler_steps.jsonl")))
        {
            using var input = JsonDocument.Parse(line);
            var root = input.RootElement;
            if (root.GetProperty("debug").GetBoolean() || !root.TryGetProperty("log", out var log))
            {
                continue;
            }

            var metrics = Metrics(root);
            var stats = root.GetProperty("steps").EnumerateArray().Select(s => metrics.StepStats(Step(s))).ToList();
            var exports = VllmExports.FromStats(VllmRevision.V2026_09, stats, log.GetProperty("delta_time").GetDouble(), "m",
                log.GetProperty("prefix").GetString()!);

            var expected = root.GetProperty("expected");
            var id = root.GetProperty("id").GetString();
            var messages = expected.GetProperty("log").GetProperty("log_fn_messages").EnumerateArray().Select(m => m.GetString()).ToList();
            Assert.True(messages.SingleOrDefault() == exports.MfuLogLine, $"{id}: expected {string.Join("|", messages)}, got {exports.MfuLogLine}");
            var prom = expected.GetProperty("prom");
            Assert.Equal(prom.GetProperty("flops").EnumerateArray().Select(v => Int128.Parse(v.GetRawText())), exports.Counters.Increments.Select(i => i.Flops));
            Assert.Equal(prom.GetProperty("read_bytes").EnumerateArray().Select(v => Int128.Parse(v.GetRawText())), exports.Counters.Increments.Select(i => i.ReadBytes));
            Assert.Equal(prom.GetProperty("write_bytes").EnumerateArray().Select(v => Int128.Parse(v.GetRawText())), exports.Counters.Increments.Select(i => i.WriteBytes));
            checkedLines++;
        }

        Assert.True(checkedLines > 10, $"only {checkedLines} golden-latest lines had a log");
    }

    [Fact]
    public void ForSteps_prints_golden_step_0013_as_vllm_2026_09_would()
    {
        // pub-step-0013-llama-3.1-8b-log00: four steps, logged 5.0 s after the logger started.
        var metrics = ModelMetrics.Load(Path.Combine(Paths.GoldenLatest, "configs", "llama-3.1-8b.json"), new EngineSettings { Vllm = VllmRevision.V2026_09 });
        using var input = JsonDocument.Parse(File.ReadLines(Path.Combine(Paths.GoldenLatest, "scheduler_steps.jsonl")).First(l => l.Contains("pub-step-0013-", StringComparison.Ordinal)));
        var batches = input.RootElement.GetProperty("steps").EnumerateArray().Select(s => Step(s).ToBatchWithRequests()).ToList();

        var exports = VllmExports.ForSteps(metrics, batches, 5.0, "meta-llama/Llama-3.1-8B");

        Assert.Equal("MFU: 15.8 TF/s/device 25.5 GB/s/device", exports.MfuLogLine);
        // FLOPs: 2179178954752 + 25386228383744 + 39154509938688 + 12274221711360 = 78994138988544.
        // Read: 42520920064 + 21727551488 + 25071722496 + 18471723008 = 107791917056; write: 505334784 + 6492514816 + 9727240704 + 2828265984 = 19553356288.
        Assert.Equal(
            "# HELP vllm:estimated_flops_per_gpu_total Estimated number of floating point operations per GPU (for Model Flops Utilization calculations).\n" +
            "# TYPE vllm:estimated_flops_per_gpu counter\n" +
            "vllm:estimated_flops_per_gpu_total{engine=\"0\",model_name=\"meta-llama/Llama-3.1-8B\"} 78994138988544.0\n" +
            "# HELP vllm:estimated_read_bytes_per_gpu_total Estimated number of bytes read from memory per GPU (for Model Flops Utilization calculations).\n" +
            "# TYPE vllm:estimated_read_bytes_per_gpu counter\n" +
            "vllm:estimated_read_bytes_per_gpu_total{engine=\"0\",model_name=\"meta-llama/Llama-3.1-8B\"} 107791917056.0\n" +
            "# HELP vllm:estimated_write_bytes_per_gpu_total Estimated number of bytes written to memory per GPU (for Model Flops Utilization calculations).\n" +
            "# TYPE vllm:estimated_write_bytes_per_gpu counter\n" +
            "vllm:estimated_write_bytes_per_gpu_total{engine=\"0\",model_name=\"meta-llama/Llama-3.1-8B\"} 19553356288.0\n",
            exports.PrometheusText);
    }

    [Fact]
    public void Revision_2025_12_logs_per_GPU_and_exports_no_counters()
    {
        var metrics = ModelMetrics.Load(Path.Combine(Paths.GoldenConfigs, "llama-3.1-8b.json"), new EngineSettings { Vllm = VllmRevision.V2025_12 });

        var exports = VllmExports.ForStep(metrics, Batch.Decodes(4, 1024), 1.0, "m", "Engine 000: ");

        Assert.StartsWith("Engine 000: MFU: 0.1 TF/s/GPU ", exports.MfuLogLine, StringComparison.Ordinal);
        Assert.False(exports.HasCounters);
        Assert.Equal(string.Empty, exports.PrometheusText);
    }

    [Fact]
    public void Counters_skip_a_step_whose_totals_are_all_zero()
    {
        var counters = new PrometheusCounters("m").Observe(new PerfStats(0, 0, 0, null)).Observe(new PerfStats(5, 0, 0, null));

        Assert.Equal([new StepTotals(5, 0, 0)], counters.Increments);
    }

    [Theory]
    [InlineData("12824640749568", "12824640749568.0")]
    [InlineData("10000000000000000", "1e+16")]
    [InlineData("1234567890123456789012", "1.2345678901234568e+21")]
    public void Counter_values_print_as_python_floats(string value, string expected)
    {
        Assert.Equal(expected, PrometheusCounters.PythonFloat(Int128.Parse(value)));
    }

    private static ModelMetrics Metrics(JsonElement root)
    {
        var config = HfConfig.Load(Path.Combine(Paths.GoldenLatest, "configs", root.GetProperty("config").GetString()!));
        var engine = JsonInput.Engine(System.Text.Json.Nodes.JsonNode.Parse(root.GetProperty("engine").GetRawText()) as System.Text.Json.Nodes.JsonObject)
            with
        { Vllm = VllmRevision.V2026_09 };
        return ModelMetrics.Create(ModelSource.Resolve(config, engine));
    }

    private static SchedulerStep Step(JsonElement step)
    {
        var newRequests = step.GetProperty("scheduled_new_reqs").EnumerateArray()
            .Select(r => new NewRequest(r.GetProperty("req_id").GetString()!, r.GetProperty("num_computed_tokens").GetInt64())).ToList();
        var cached = step.GetProperty("scheduled_cached_reqs");
        var ids = cached.GetProperty("req_ids").EnumerateArray().Select(i => i.GetString()!).ToList();
        var computed = cached.GetProperty("num_computed_tokens").EnumerateArray().Select(c => c.GetInt64()).ToList();
        var scheduled = step.GetProperty("num_scheduled_tokens").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
        return SchedulerStep.Create(newRequests, ids, computed, scheduled);
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using PerfNotebooks.Hardware;
using PerfNotebooks.Models;
using PerfNotebooks.Vllm.Interop;

namespace PerfNotebooks.Tests;

public partial class FuzzTests
{
    private static readonly string[] GpuKeys =
    [
        "name", "vendor", "aliases", "peak_tflops", "memory_gb", "memory_bandwidth_gbps", "interconnect",
        "interconnect_gbps", "flops_efficiency", "bandwidth_efficiency", "source",
    ];

    [Fact]
    public void Malformed_gpu_files_read_or_fail_with_one_line_naming_file_field_and_value() => RunUnderDeadline(() =>
    {
        var random = new Random(3);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            GpuCatalog.WriteJson(writer, GpuCatalog.All);
        }

        var catalog = JsonNode.Parse(stream.ToArray())!.AsArray();
        var read = 0;
        for (var i = 0; i < 3000; i++)
        {
            var gpu = catalog[random.Next(catalog.Count)]!.DeepClone().AsObject();
            for (var n = random.Next(1, 3); n > 0; n--)
            {
                var key = GpuKeys[random.Next(GpuKeys.Length)];
                var target = key == "peak_tflops" && gpu[key] is JsonObject peaks && random.Next(2) == 0 ? peaks : gpu;
                var field = target == gpu ? key : new[] { "bf16", "fp8", "fp4", "int8", "3", "BF16" }[random.Next(6)];
                if (random.Next(6) == 0)
                {
                    target.Remove(field);
                }
                else
                {
                    target[field] = Garbage(random);
                }
            }

            var text = (i % 5) switch
            {
                0 => new JsonArray(gpu).ToJsonString(),
                1 => GarbageJson[random.Next(GarbageJson.Length)],
                2 => gpu.ToJsonString()[..random.Next(1, gpu.ToJsonString().Length)],
                _ => gpu.ToJsonString(),
            };
            try
            {
                var spec = GpuCatalog.Read("gpu.json", text);
                Assert.True(spec.Bandwidth(applyEfficiency: true) > 0 && spec.PeakFlopsPerSecond.Values.All(p => p > 0 && double.IsFinite(p)), text);
                read++;
            }
            catch (Exception e)
            {
                AssertDocumented(e, "gpu.json", $"#{i} {text}");
            }
        }

        Assert.True(read > 300, $"only {read} of the mutated GPU files were readable");
    });

    [Fact]
    public void Malformed_eval_lines_each_give_one_json_line_and_never_stop_the_run() => RunUnderDeadline(() =>
    {
        var random = new Random(5);
        var evaluator = new LineEvaluator(name => HfConfig.Load(Path.Combine(Paths.GoldenConfigs, Path.GetFileName(name))));
        var lines = new[] { "cases.jsonl", "override_cases.jsonl", "scheduler_steps.jsonl", "profiler_cases.jsonl", "engine_errors.jsonl" }
            .SelectMany(f => File.ReadLines(Path.Combine(Paths.Golden, f)).Where(l => l.Trim().Length > 0).Take(60))
            .Select(l =>
            {
                var node = JsonNode.Parse(l)!.AsObject();
                node.Remove("expected");
                return node;
            })
            .ToArray();
        var errors = 0;
        for (var i = 0; i < 3000; i++)
        {
            var line = (JsonObject)lines[random.Next(lines.Length)].DeepClone();
            for (var n = random.Next(1, 3); n > 0; n--)
            {
                MutateSomewhere(line, random);
            }

            var text = i % 10 == 0 ? line.ToJsonString()[..random.Next(line.ToJsonString().Length)] : line.ToJsonString();
            var output = evaluator.Evaluate(text);

            Assert.DoesNotContain('\n', output);
            var result = JsonNode.Parse(output)!.AsObject();
            if (result["error"] is JsonValue error && error.TryGetValue(out string? message))
            {
                AssertOneCleanLine(message, text);
                errors++;
            }
        }

        Assert.True(errors is > 300 and < 2700, $"{errors} of 3000 mutated lines were errors");
    });

    /// Replaces one value somewhere in the tree (an object member or a list item) with garbage, or removes a member.
    private static void MutateSomewhere(JsonObject root, Random random)
    {
        JsonNode node = root;
        while (true)
        {
            var children = node switch
            {
                JsonObject o => o.Select(p => p.Key).ToArray(),
                JsonArray a => Enumerable.Range(0, a.Count).Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
                _ => [],
            };
            if (children.Length == 0)
            {
                return;
            }

            var pick = children[random.Next(children.Length)];
            var child = node is JsonObject obj ? obj[pick] : ((JsonArray)node)[int.Parse(pick, System.Globalization.CultureInfo.InvariantCulture)];
            if (child is JsonObject or JsonArray && random.Next(3) != 0)
            {
                node = child;
                continue;
            }

            if (node is JsonObject parent)
            {
                if (random.Next(5) == 0)
                {
                    parent.Remove(pick);
                }
                else
                {
                    parent[pick] = Garbage(random);
                }
            }
            else
            {
                ((JsonArray)node)[int.Parse(pick, System.Globalization.CultureInfo.InvariantCulture)] = Garbage(random);
            }

            return;
        }
    }
}

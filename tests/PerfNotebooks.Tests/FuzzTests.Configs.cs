using System.Text;
using System.Text.Json.Nodes;
using PerfNotebooks.Analysis;
using PerfNotebooks.Hardware;
using PerfNotebooks.Models;
using PerfNotebooks.Requests;
using PerfNotebooks.Vllm;

namespace PerfNotebooks.Tests;

public partial class FuzzTests
{
    private static readonly string[] EngineStrings = ["auto", "bfloat16", "float16", "half", "float32", "fp8", "fp8_e5m2", "mxfp4", "awq", "x", ""];

    private static EngineSettings RandomEngine(Random random)
    {
        string Pick() => EngineStrings[random.Next(EngineStrings.Length)];
        int Size() => new[] { 1, 1, 1, 2, 4, 8, 3, 16, 1024 }[random.Next(9)];
        var overrides = random.Next(4) == 0 ? new JsonObject { [ConfigKeys[random.Next(ConfigKeys.Length)]] = Garbage(random) } : null;
        return new EngineSettings
        {
            Dtype = random.Next(3) == 0 ? Pick() : "auto",
            KvCacheDtype = random.Next(3) == 0 ? Pick() : "auto",
            Quantization = random.Next(5) == 0 ? Pick() : null,
            TensorParallel = Size(),
            PipelineParallel = random.Next(3) == 0 ? Size() : 1,
            DataParallel = random.Next(4) == 0 ? Size() : 1,
            EnableExpertParallel = random.Next(4) == 0,
            HfOverrides = overrides,
        };
    }

    private static JsonObject Mutate(JsonObject config, Random random)
    {
        var copy = (JsonObject)config.DeepClone();
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            var target = copy.TryGetPropertyValue("text_config", out var text) && text is JsonObject t && random.Next(2) == 0 ? t : copy;
            var key = ConfigKeys[random.Next(ConfigKeys.Length)];
            if (random.Next(5) == 0)
            {
                target.Remove(key);
            }
            else
            {
                target[key] = Garbage(random);
            }
        }

        return copy;
    }

    [Fact]
    public void Malformed_configs_and_engines_give_a_result_a_skip_or_one_clean_line() => RunUnderDeadline(() =>
    {
        var random = new Random(20261124);
        var bases = Directory.GetFiles(Paths.GoldenConfigs, "*.json").Order(StringComparer.Ordinal)
            .Select(f => JsonNode.Parse(File.ReadAllText(f))!.AsObject()).ToArray();
        var gpu = GpuCatalog.Find("H100-SXM");
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < 3000; i++)
        {
            var config = Mutate(bases[random.Next(bases.Length)], random);
            var text = config.ToJsonString();
            var engine = RandomEngine(random);
            var input = $"#{i} {text} with {engine}";
            try
            {
                var metrics = ModelMetrics.Create(ModelSource.Resolve(HfConfig.Parse(text, "fuzz.json"), engine));
                foreach (var skipped in metrics.Skipped)
                {
                    AssertOneCleanLine(skipped.Detail, input);
                }

                var batch = Batch.Prefill(random.Next(1, 5000)).WithDecodes(random.Next(0, 64), random.Next(1, 1 << 20));
                foreach (var scope in new[] { Scope.PerGpu, Scope.WholeModel })
                {
                    Assert.All(metrics.Flops(batch, scope).Terms, term => Assert.True(term.Value >= 0, $"{term} < 0 for {input}"));
                    Assert.All(metrics.ReadBytes(batch, scope).Terms, term => Assert.True(term.Value >= 0, $"{term} < 0 for {input}"));
                    Assert.All(metrics.WriteBytes(batch, scope).Terms, term => Assert.True(term.Value >= 0, $"{term} < 0 for {input}"));
                }

                if (metrics.Components.Length > 0)
                {
                    _ = Roofline.Analyze(metrics, batch, gpu);
                    _ = MemoryPlanner.Plan(metrics, gpu, contextLength: random.Next(0, 1 << 17));
                }

                outcomes["built"] = outcomes.GetValueOrDefault("built") + 1;
            }
            catch (Exception e)
            {
                AssertDocumented(e, "fuzz.json", input);
                outcomes[e.GetType().Name] = outcomes.GetValueOrDefault(e.GetType().Name) + 1;
            }
        }

        // The mutations reach every kind of outcome, not just one early rejection.
        Assert.True(outcomes.GetValueOrDefault("built") > 300, string.Join(", ", outcomes));
        Assert.True(outcomes.GetValueOrDefault(nameof(ModelConfigException)) > 50, string.Join(", ", outcomes));
        Assert.True(outcomes.GetValueOrDefault(nameof(EngineConfigException)) > 100, string.Join(", ", outcomes));
    });

    [Fact]
    public void Config_text_that_is_not_json_is_one_clean_line_naming_the_file() => RunUnderDeadline(() =>
    {
        var random = new Random(7);
        var sample = File.ReadAllText(Path.Combine(Paths.GoldenConfigs, "llama-3.1-8b.json"));
        var rejected = 0;
        for (var i = 0; i < 2000; i++)
        {
            var text = (i % 4) switch
            {
                0 => sample[..random.Next(sample.Length)],
                1 => Encoding.Latin1.GetString(Enumerable.Range(0, random.Next(1, 200)).Select(_ => (byte)random.Next(256)).ToArray()),
                2 => new string('[', random.Next(1, 5000)),
                _ => sample.Insert(random.Next(sample.Length), GarbageJson[random.Next(GarbageJson.Length)]),
            };
            try
            {
                _ = ModelMetrics.Create(ModelSource.Resolve(HfConfig.Parse(text, "fuzz.json")));
            }
            catch (Exception e)
            {
                AssertDocumented(e, "fuzz.json", $"#{i} {text[..Math.Min(text.Length, 200)]}");
                rejected++;
            }
        }

        // A truncated config, random bytes and a run of '[' are never a usable config: at least those 1,500 inputs
        // (less the rare truncation that still parses) must have been rejected, or the loop above checked nothing.
        Assert.InRange(rejected, 1400, 2000);
    });

    [Fact]
    public void Batch_specs_parse_or_fail_with_a_reason_and_never_throw() => RunUnderDeadline(() =>
    {
        var random = new Random(11);
        string[] parts = ["1", "0", "-1", "2048", "8192", "x", ":", "x", "k", "K", "M", "e3", "9223372036854775807", "99999999999", ".", " ", ",", "", "4k", "1e5", "\u0661", "+3"];
        for (var i = 0; i < 5000; i++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 6)).Select(_ => parts[random.Next(parts.Length)]));
            var prefill = RequestSpec.TryParsePrefill(text, out var p, out var prefillError);
            var decode = RequestSpec.TryParseDecode(text, out var d, out var decodeError);
            if (prefill)
            {
                Assert.True(p.Tokens > 0 && p.ContextLength >= p.Tokens && p.Count > 0, $"{text} → {p}");
            }
            else
            {
                AssertOneCleanLine(prefillError, text);
            }

            if (decode)
            {
                Assert.True(d.ContextLength > 0 && d.Count > 0, $"{text} → {d}");
            }
            else
            {
                AssertOneCleanLine(decodeError, text);
            }

            if (RequestSpec.TryParseBatch([text, text], [text], out var batch, out var batchError))
            {
                Assert.True(batch.TotalTokens >= 0, text);
            }
            else
            {
                AssertOneCleanLine(batchError, text);
                Assert.StartsWith("--", batchError, StringComparison.Ordinal);
            }
        }
    });
}

using System.Text.Json;
using PerfNotebooks.Cli;

namespace PerfNotebooks.Tests.Planning;

public class PlanCommandTests
{
    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = PerfCli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Plan_json_names_the_best_deployment_in_the_documented_fields()
    {
        var (code, output, error) = Run("plan", "llama-3.1-8b", "--request-rate", "3", "--input-len", "512", "--output-len", "32",
            "--ttft-ms", "500", "--tpot-ms", "30", "--gpu", "H100-SXM", "--tp", "1,2", "--pp", "1", "--gpu-cost", "H100-SXM=2.5", "--json");

        Assert.Equal((0, string.Empty), (code, error));
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        var best = root.GetProperty("best");
        foreach (var field in new[] { "gpu", "tp", "pp", "dp", "ep", "replicas", "gpus", "dtype", "kv_cache_dtype", "mode", "cost_per_hour", "predicted" })
        {
            Assert.True(best.TryGetProperty(field, out _), field);
        }

        Assert.Equal("H100-SXM", best.GetProperty("gpu").GetString());
        Assert.Equal("aggregated", best.GetProperty("mode").GetString());
        Assert.Equal(best.GetProperty("gpus").GetInt64() * 2.5, best.GetProperty("cost_per_hour").GetDouble(), 9);
        var predicted = best.GetProperty("predicted");
        Assert.True(predicted.GetProperty("p90_ttft_ms").GetDouble() <= 500);
        Assert.True(predicted.GetProperty("p90_tpot_ms").GetDouble() <= 30);
        Assert.True(predicted.GetProperty("request_throughput").GetDouble() > 0);
        Assert.True(predicted.GetProperty("output_throughput").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Array, root.GetProperty("runners_up").ValueKind);
        Assert.NotEqual(0, root.GetProperty("pareto").GetArrayLength());
        Assert.Equal(2, root.GetProperty("candidates").GetInt32());
        Assert.True(root.GetProperty("elapsed_s").GetDouble() > 0);
    }

    [Fact]
    public void Plan_prints_the_paragraph_first_then_the_deployments_and_the_front()
    {
        var (code, output, _) = Run("plan", "llama-3.1-8b", "--request-rate", "3", "--input-len", "512", "--output-len", "32",
            "--ttft-ms", "500", "--gpu", "H100-SXM", "--tp", "1", "--pp", "1");

        Assert.Equal(0, code);
        Assert.StartsWith("Serve llama-3.1-8b at 3.00 req/s of 512 in, 32 out with ", output, StringComparison.Ordinal);
        Assert.True(output.IndexOf("Pareto front", StringComparison.Ordinal) > output.IndexOf("best ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--input-len", "512", "--output-len", "32", "--request-rate R, --input-len N and --output-len N are required")]
    [InlineData("--request-rate", "3", "--input-len", "512", "--request-rate R, --input-len N and --output-len N are required")]
    public void Plan_without_rate_or_lengths_is_one_line_usage_error(string o1, string v1, string o2, string v2, string message)
    {
        var (code, _, error) = Run("plan", "llama-3.1-8b", o1, v1, o2, v2);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal($"perfnb plan: {message}\n", error);
    }

    [Fact]
    public void Plan_bad_speculation_names_the_option_and_value()
    {
        var (code, _, error) = Run("plan", "llama-3.1-8b", "--request-rate", "3", "--input-len", "512", "--output-len", "32", "--speculative", "3:2");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--speculative '3:2' is not TOKENS:ACCEPTANCE", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }
}

using System.Text.Json;
using PerfNotebooks.Models;
using PerfNotebooks.Vllm.Interop;

namespace PerfNotebooks.Tests;

/// Every line of shared/golden-latest (vLLM perf.py at 00cee63e, revision 2026-09), evaluated through the LineEvaluator
/// that `perfnb eval --vllm 2026-09` uses, must equal its expected values exactly: components, breakdowns, totals,
/// scheduler steps, the MFU log (including the debug logger's crash) and the Prometheus increments.
public class GoldenLatestTests
{
    private static readonly LineEvaluator Evaluator =
        new(name => HfConfig.Load(Path.Combine(Paths.GoldenLatest, "configs", name)), VllmRevision.V2026_09);

    [Theory]
    [InlineData("cases.jsonl", 750)]
    [InlineData("override_cases.jsonl", 137)]
    [InlineData("scheduler_steps.jsonl", 476)]
    public void Every_golden_latest_line_matches_expected_exactly(string file, int lineCount)
    {
        var lines = File.ReadLines(Path.Combine(Paths.GoldenLatest, file)).Where(l => l.Trim().Length > 0).ToList();
        var mismatches = new List<string>();
        foreach (var line in lines)
        {
            using var input = JsonDocument.Parse(line);
            if (FirstMismatch(line, input) is { } mismatch)
            {
                mismatches.Add($"{Id(input)}: {mismatch}");
            }
        }

        Assert.Equal(lineCount, lines.Count);
        Assert.True(mismatches.Count == 0,
            $"{mismatches.Count} of {lines.Count} lines differ:\n{string.Join("\n", mismatches.Take(20))}");
    }

    [Fact]
    public void Golden_latest_debug_log_lines_expect_the_upstream_crash()
    {
        var line = File.ReadLines(Path.Combine(Paths.GoldenLatest, "scheduler_steps.jsonl"))
            .First(l => l.Contains("\"debug\":true", StringComparison.Ordinal) && l.Contains("\"log\":{", StringComparison.Ordinal));
        using var actual = JsonDocument.Parse(Evaluator.Evaluate(line));
        var log = actual.RootElement.GetProperty("log");
        Assert.Equal("TypeError", log.GetProperty("error").GetString());
        Assert.Equal("observe", log.GetProperty("error_phase").GetString());
        Assert.Equal(0, log.GetProperty("log_fn_messages").GetArrayLength());
    }

    private static string? FirstMismatch(string line, JsonDocument input)
    {
        var expected = input.RootElement.GetProperty("expected");
        using var actual = JsonDocument.Parse(Evaluator.Evaluate(line));
        if (actual.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
        {
            return $"evaluation failed: {error}";
        }

        foreach (var property in expected.EnumerateObject())
        {
            if (!actual.RootElement.TryGetProperty(property.Name, out var value))
            {
                return $"output has no '{property.Name}'";
            }

            if (JsonDiff.FirstDifference(property.Value, value, property.Name) is { } diff)
            {
                return diff;
            }
        }

        return null;
    }

    private static string Id(JsonDocument input) =>
        input.RootElement.TryGetProperty("id", out var id) ? id.GetString() ?? "?" : "?";
}

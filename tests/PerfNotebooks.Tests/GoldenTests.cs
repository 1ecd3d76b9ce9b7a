using System.Text.Json;
using PerfNotebooks.Models;
using PerfNotebooks.Vllm.Interop;

namespace PerfNotebooks.Tests;

/// Every line of every golden file, evaluated through the same LineEvaluator that `perfnb eval` uses, must equal its
/// expected values exactly (integers past 2^64 included).
public class GoldenTests
{
    private static readonly LineEvaluator Evaluator = new(name => HfConfig.Load(Path.Combine(Paths.GoldenConfigs, name)), VllmRevision.V2025_12);

    public static TheoryData<string, int> Lines(string file)
    {
        var data = new TheoryData<string, int>();
        var path = Path.Combine(Paths.Golden, file);
        var count = File.ReadLines(path).Count(l => l.Trim().Length > 0);
        for (var i = 1; i <= count; i++)
        {
            data.Add(file, i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Lines), "cases.jsonl")]
    [MemberData(nameof(Lines), "override_cases.jsonl")]
    [MemberData(nameof(Lines), "scheduler_steps.jsonl")]
    [MemberData(nameof(Lines), "profiler_cases.jsonl")]
    public void Golden_line_matches_expected_exactly(string file, int lineNumber)
    {
        var (line, input) = Read(file, lineNumber);
        var expected = input.RootElement.GetProperty("expected");
        using var actual = JsonDocument.Parse(Evaluator.Evaluate(line));
        Assert.False(actual.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String,
            $"{Id(input)}: evaluation failed: {error}");
        foreach (var property in expected.EnumerateObject())
        {
            Assert.True(actual.RootElement.TryGetProperty(property.Name, out var value), $"{Id(input)}: output has no '{property.Name}'");
            var diff = JsonDiff.FirstDifference(property.Value, value, property.Name);
            Assert.True(diff is null, $"{Id(input)}: first difference at {diff}");
        }
    }

    [Theory]
    [MemberData(nameof(Lines), "engine_errors.jsonl")]
    public void Golden_engine_error_is_rejected_with_vllm_kind_and_message(string file, int lineNumber)
    {
        var (line, input) = Read(file, lineNumber);
        using var actual = JsonDocument.Parse(Evaluator.Evaluate(line));
        var root = actual.RootElement;
        Assert.True(root.TryGetProperty("error_kind", out var kind), $"{Id(input)}: not rejected: {root.GetRawText()}");
        Assert.Equal(input.RootElement.GetProperty("expected_error_kind").GetString(), kind.GetString());
        Assert.Equal(input.RootElement.GetProperty("expected_error").GetString(), root.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("setting").GetString()));
    }

    private static (string Line, JsonDocument Input) Read(string file, int lineNumber)
    {
        var line = File.ReadLines(Path.Combine(Paths.Golden, file)).Where(l => l.Trim().Length > 0).ElementAt(lineNumber - 1);
        return (line, JsonDocument.Parse(line));
    }

    private static string Id(JsonDocument input) =>
        input.RootElement.TryGetProperty("id", out var id) ? id.GetString() ?? "?" : "?";
}

using System.Text.Json.Nodes;
using System.Threading;
using PerfNotebooks.Models;

namespace PerfNotebooks.Tests;

/// A deterministic fuzz (fixed seeds) of every public entry point the CLI and the notebook feed with user input:
/// model configs, engine settings, batch specs, GPU files and eval lines. Each input must give a result, a Skipped
/// component or one of the documented exceptions with a one-line message naming the file or field and the value;
/// never another exception, a multi-line framework text or a hang (the whole fuzz runs under one generous deadline).
public partial class FuzzTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    private static readonly string[] GarbageJson =
    [
        "0", "-1", "-128", "1", "2", "3", "7", "2147483648", "1099511627776", "9007199254740993", "4611686018427387904",
        "9223372036854775807", "-9223372036854775808", "18446744073709551616", "1e300", "-1e300", "1e-300", "0.5", "1.5",
        "-0.0", "\"x\"", "\"\"", "\"12\"", "\"bfloat16\"", "true", "false", "null", "[]", "[1, 2]", "[-1]", "[null]", "{}",
        "{\"a\": {\"b\": [null, {\"c\": -1}]}}", new string('[', 30) + "1" + new string(']', 30),
        "\"line\\nbreak\"", "\"\\u0000\"",
    ];

    private static readonly string[] ConfigKeys =
    [
        "hidden_size", "num_attention_heads", "num_key_value_heads", "num_hidden_layers", "vocab_size", "intermediate_size",
        "head_dim", "num_experts", "num_local_experts", "n_routed_experts", "num_experts_per_tok", "moe_topk",
        "moe_intermediate_size", "n_shared_experts", "num_shared_experts", "moe_layer_freq", "first_k_dense_replace",
        "interleave_moe_layer_step", "torch_dtype", "dtype", "quantization_config", "text_config", "model_type",
        "multi_query", "hidden_size_per_head", "n_head_kv", "num_kv_heads", "tie_word_embeddings",
    ];

    private static void RunUnderDeadline(Action fuzz)
    {
        using var cancellation = new CancellationTokenSource(Deadline);
        var task = Task.Run(fuzz, cancellation.Token);
        Assert.True(task.Wait(Deadline), $"the fuzz did not finish within {Deadline.TotalSeconds:0} s: an input hangs");
    }

    private static JsonNode? Garbage(Random random) => JsonNode.Parse(GarbageJson[random.Next(GarbageJson.Length)]);

    private static string Describe(Exception e) => $"{e.GetType().Name}: {e.Message}";

    private static void AssertOneCleanLine(string message, string input)
    {
        Assert.False(string.IsNullOrWhiteSpace(message), $"empty message for {input}");
        Assert.False(message.Contains('\n', StringComparison.Ordinal), $"multi-line message {message} for {input}");
        Assert.DoesNotContain("(Parameter '", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Actual value was", message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", message, StringComparison.Ordinal);
    }

    /// A documented failure: the config or GPU file is wrong (names the file), vLLM would refuse the settings, or a
    /// value is out of range (names the field). Anything else fails the fuzz with the input that caused it.
    private static void AssertDocumented(Exception e, string source, string input)
    {
        switch (e)
        {
            case ModelConfigException m:
                AssertOneCleanLine(m.Message, input);
                Assert.StartsWith(source, m.Message, StringComparison.Ordinal);
                break;
            case EngineConfigException engine:
                AssertOneCleanLine(engine.Message, input);
                Assert.False(string.IsNullOrEmpty(engine.Setting), input);
                break;
            case OverflowException overflow:
                AssertOneCleanLine(overflow.Message, input);
                Assert.True(overflow.Message.StartsWith(source, StringComparison.Ordinal), $"{Describe(overflow)}\n  input: {input}\n{overflow.StackTrace}");
                break;
            case InvalidValueException invalid:
                AssertOneCleanLine(invalid.Message, input);
                break;
            default:
                Assert.Fail($"{Describe(e)}\n  input: {input}\n{e.StackTrace}");
                break;
        }
    }
}

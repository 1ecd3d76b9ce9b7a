using PerfNotebooks.Models;
using PerfNotebooks.Vllm.Components;

namespace PerfNotebooks.Vllm.Parsers;

/// <summary>
/// Base model fields, as vLLM's <c>BaseConfigParser</c>: vocab and hidden size (0 when absent), heads and layers
/// (required), weight and activation byte sizes, and the parallel layout.
/// </summary>
/// <remarks>Quirk kept from vLLM: activations are always 2 bytes, even for a float32 model.</remarks>
internal sealed class BaseConfigParser : IConfigParser
{
    /// <inheritdoc />
    public ParsedArgs Parse(ParsedArgs args, ModelSource source)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(source);
        var text = source.Config;
        foreach (var required in (ReadOnlySpan<string>)["num_attention_heads", "num_hidden_layers"])
        {
            if (!text.TextHas(required))
            {
                return args with
                {
                    Skip = new ComponentOutcome.Skipped(string.Empty, SkipReason.MissingRequiredAttr, $"config has no {required}"),
                };
            }
        }

        var vocab = text.TextHas("vocab_size") ? text.TextNumber("vocab_size") : ConfigNumber.Of(0);
        var hidden = text.TextHas("hidden_size") ? text.TextNumber("hidden_size") : ConfigNumber.Of(0);
        return args
            .WithNumber("vocab_size", vocab, (a, v) => a with { VocabSize = v })
            .WithNumber("hidden_size", hidden, (a, v) => a with { HiddenSize = v })
            .WithNumber("num_attention_heads", text.TextNumber("num_attention_heads"), (a, v) => a with { NumAttentionHeads = v })
            .WithNumber("num_hidden_layers", text.TextNumber("num_hidden_layers"), (a, v) => a with { NumHiddenLayers = v })
            with
        {
            WeightByteSize = ByteSize.FromBytes(source.Dtype.Bytes()),
            ActivationByteSize = 2,
            DataParallel = source.Engine.DataParallel,
            TensorParallel = source.Engine.TensorParallel,
            PipelineParallel = source.Engine.PipelineParallel,
            EnableExpertParallel = source.Engine.EnableExpertParallel,
        };
    }
}

using System.Text.Json.Nodes;
using PerfNotebooks.Models;

namespace PerfNotebooks.Vllm.Parsers;

/// <summary>
/// The attention window and how many layers use it, as vLLM 2026-09's <c>SlidingWindowAttentionParser</c>: the
/// window is <see cref="ModelSource.SlidingWindow"/>; when it is &gt; 0, the sliding layers are the first
/// <c>num_hidden_layers</c> entries of the text config's <c>layer_types</c> list containing "sliding" (any case),
/// else half the layers rounded up for Gemma 2, else every layer. Otherwise no layer slides.
/// </summary>
internal sealed class SlidingWindowAttentionParser : IConfigParser
{
    /// <inheritdoc />
    /// <exception cref="ModelConfigException">A <c>layer_types</c> entry is not a string.</exception>
    public ParsedArgs Parse(ParsedArgs args, ModelSource source)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(source);
        var window = source.SlidingWindow();
        var layers = Math.Max(0, args.NumHiddenLayers ?? 0);
        if (window is not > 0)
        {
            return args with { SlidingWindow = window, NumSwaLayers = 0 };
        }

        long swa;
        if (source.Config.Text["layer_types"] is JsonArray types)
        {
            swa = 0;
            for (var i = 0; i < types.Count && i < layers; i++)
            {
                var type = types[i] is JsonValue v && v.TryGetValue(out string? text)
                    ? text
                    : throw new ModelConfigException(source.Config.Source, "layer_types", $"entry {i} must be a string, not {types[i]?.ToJsonString() ?? "null"}");
                if (type.Contains("sliding", StringComparison.OrdinalIgnoreCase))
                {
                    swa++;
                }
            }
        }
        else if (source.Config.ModelType == "gemma2")
        {
            swa = (layers + 1) / 2;
        }
        else
        {
            swa = layers;
        }

        return args with { SlidingWindow = window, NumSwaLayers = swa };
    }
}

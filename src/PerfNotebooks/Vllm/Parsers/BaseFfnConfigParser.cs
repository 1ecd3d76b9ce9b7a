using PerfNotebooks.Models;

namespace PerfNotebooks.Vllm.Parsers;

/// <summary>
/// FFN and MoE fields, as vLLM's <c>BaseFfnConfigParser</c>: <c>intermediate_size</c> (4 × hidden when absent),
/// experts, top-k (<c>num_experts_per_tok</c> or <c>moe_topk</c>), expert width (<c>moe_intermediate_size</c>, else
/// <c>intermediate_size</c>), shared experts (<c>n_shared_experts</c> or <c>num_shared_experts</c>); every layer is
/// an MoE layer when the model has experts.
/// </summary>
internal sealed class BaseFfnConfigParser : IConfigParser
{
    /// <inheritdoc />
    public ParsedArgs Parse(ParsedArgs args, ModelSource source)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(source);
        var config = source.Config;
        ConfigNumber intermediate;
        if (config.TextHas("intermediate_size"))
        {
            intermediate = config.TextNumber("intermediate_size");
        }
        else
        {
            intermediate = args.HiddenSize is { } hidden
                ? ConfigNumber.Of(checked(hidden * 4))
                : throw new ModelConfigException(config.Source, "hidden_size", "is needed to default intermediate_size to 4 × hidden_size");
        }

        var experts = source.NumExperts();
        var next = args
            .WithNumber("intermediate_size", intermediate, (a, v) => a with { IntermediateSize = v })
            .WithNumber("num_experts", experts, (a, v) => a with { NumExperts = v })
            .WithNumber("num_experts_per_tok", config.FirstTextNumber(["num_experts_per_tok", "moe_topk"], 0), (a, v) => a with { NumExpertsPerToken = v })
            .WithNumber("moe_intermediate_size", config.FirstTextNumber(["moe_intermediate_size", "intermediate_size"], 0), (a, v) => a with { MoeIntermediateSize = v })
            .WithNumber("num_shared_experts", config.FirstTextNumber(["n_shared_experts", "num_shared_experts"], 0), (a, v) => a with { NumSharedExperts = v });

        var isMoe = experts.Kind != ConfigNumberKind.Whole || experts.Value != 0;
        return next with { NumMoeLayers = isMoe ? args.NumHiddenLayers : 0 };
    }
}

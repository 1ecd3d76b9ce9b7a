using PerfNotebooks.Models;

namespace PerfNotebooks.Vllm.Parsers;

/// <summary>
/// FFN parallel layout, as vLLM's <c>FfnParallelParser</c>: the FFN is split over DP × TP ranks, by tensor
/// parallelism, or by expert parallelism when EP is on (DP2 TP4 gives FFN TP8, or EP8).
/// </summary>
internal sealed class FfnParallelParser : IConfigParser
{
    /// <inheritdoc />
    public ParsedArgs Parse(ParsedArgs args, ModelSource source)
    {
        ArgumentNullException.ThrowIfNull(args);
        var ranks = checked(ParsedArgsRequire(args.DataParallel) * ParsedArgsRequire(args.TensorParallel));
        return args.EnableExpertParallel == true
            ? args with { FfnTensorParallel = 1, FfnExpertParallel = ranks }
            : args with { FfnTensorParallel = ranks, FfnExpertParallel = 1 };
    }

    private static long ParsedArgsRequire(long? value) =>
        value ?? throw new InvalidOperationException("FfnParallelParser runs after BaseConfigParser, which sets the parallel sizes.");
}

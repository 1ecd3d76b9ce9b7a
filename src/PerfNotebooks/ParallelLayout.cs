using System.Globalization;

namespace PerfNotebooks;

/// <summary>How an engine spreads a model over GPUs: tensor-, pipeline- and data-parallel sizes and whether experts are parallel.</summary>
/// <param name="TensorParallel">Tensor-parallel ranks.</param>
/// <param name="PipelineParallel">Pipeline stages.</param>
/// <param name="DataParallel">Data-parallel replicas.</param>
/// <param name="ExpertParallel">Whether MoE experts are spread over the TP × DP ranks.</param>
public readonly record struct ParallelLayout(int TensorParallel, int PipelineParallel, int DataParallel, bool ExpertParallel)
{
    /// <summary>GPUs the layout occupies: TP × PP × DP.</summary>
    public long Gpus => checked((long)TensorParallel * PipelineParallel * DataParallel);

    /// <summary>The one spelling of a layout, as tables, headers and plain text show it: <c>TP4 PP1 DP1</c>, with <c> EP</c> when experts are parallel.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"TP{TensorParallel} PP{PipelineParallel} DP{DataParallel}{(ExpertParallel ? " EP" : string.Empty)}");
}

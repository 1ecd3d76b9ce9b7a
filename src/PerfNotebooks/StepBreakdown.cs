namespace PerfNotebooks;

/// <summary>FLOPs, bytes read and bytes written of one step, per component and term, at one scope.</summary>
/// <param name="Batch">The step's requests.</param>
/// <param name="Scope">Per GPU or whole model.</param>
/// <param name="Flops">FLOPs per term.</param>
/// <param name="ReadBytes">Bytes read from device memory per term.</param>
/// <param name="WriteBytes">Bytes written to device memory per term.</param>
public sealed record StepBreakdown(Batch Batch, Scope Scope, Breakdown Flops, Breakdown ReadBytes, Breakdown WriteBytes)
{
    /// <summary>The three totals.</summary>
    public StepTotals Totals => new(Flops.Total, ReadBytes.Total, WriteBytes.Total);

    /// <summary>A readable summary: the batch, the totals, then one line per component.</summary>
    public override string ToString()
    {
        var lines = new List<string>
        {
            $"{Batch}, {(Scope == Scope.PerGpu ? "per GPU" : "whole model")}: {Totals}",
        };
        foreach (var component in Flops.Concat(ReadBytes).Concat(WriteBytes).Select(t => t.Component).Distinct())
        {
            lines.Add($"  {component}: {Units.Flops(Flops.ForComponent(component).Total)}, read {Units.Bytes(ReadBytes.ForComponent(component).Total)}, " +
                      $"write {Units.Bytes(WriteBytes.ForComponent(component).Total)}");
        }

        return string.Join('\n', lines);
    }
}

using System.Collections.Immutable;
using System.Globalization;
using PerfNotebooks.Analysis;
using PerfNotebooks.Hardware;
using PerfNotebooks.Rendering;
using PerfNotebooks.Vllm.Profiling;
namespace PerfNotebooks.Interactive;

/// <summary>
/// The tables of every value a cell can return, built once from the shared table model: the notebook's HTML and its
/// <c>text/plain</c> are both drawn from these rows.
/// </summary>
public static class ValueTables
{
    /// <summary>At most this many sweep rows are shown (the rest are counted in a note).</summary>
    public const int MaxSweepRows = 200;

    /// <summary>The value's tables (empty for a value that has none).</summary>
    public static ImmutableArray<TableModel> Of(object value) => value switch
    {
        MagicResult magic => Of(magic.Value),
        PerfModel model => [Tables.ModelSummary(model.Summary, model.Metrics)],
        ModelView view => [Tables.ModelSummary(view.Summary, view.Metrics)],
        StepBreakdown step => [Tables.Breakdown(step.Flops, step.ReadBytes, step.WriteBytes)],
        StepView view => [Tables.Breakdown(view.Flops, view.ReadBytes, view.WriteBytes)],
        Breakdown breakdown => [Terms(breakdown)],
        RooflineReport report => [Tables.Roofline(report)],
        MemoryPlan plan => [Tables.Memory(plan)],
        Serving.ServeBenchmarkResult serve => [Tables.Serve(serve), Tables.ServeTimeline(serve)],
        Serving.PlannerResult plan => [PlannerTables.Deployments(plan), PlannerTables.Pareto(plan)],
        Measured.IMeasuredComparison comparison => Tables.Measured(comparison),
        ModelSummary summary => [Summary(summary)],
        GpuSpec gpu => [Tables.Gpu(gpu)],
        SweepView view => [Sweep(view.Rows)],
        IEnumerable<SweepRow> rows => [Sweep([.. rows])],
        ProfilerValidation validation => [Tables.Profiler(validation)],
        _ => [],
    };

    /// <summary>The value as plain text: its one-line summary, then each table.</summary>
    public static string Text(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var heading = value switch
        {
            IEnumerable<SweepRow> rows => PlainText.Sweep(new SweepView([.. rows])),
            HelpView help => help.Text,
            _ => PlainText.Of(value is MagicResult m ? m.Value : value),
        };
        return string.Join('\n', [heading, .. Of(value).Select(PlainTableRenderer.Render)]).TrimEnd() + "\n";
    }

    private static TableModel Terms(Breakdown breakdown) => new(
        "terms",
        [new("term"), new("count", Numeric: true)],
        [.. breakdown.Terms.Select(t => new TableRow(TableRowKind.Body, [t.Qualified, Count(t.Value)])),
         new TableRow(TableRowKind.Total, ["total", Count(breakdown.Total)])],
        []);

    private static TableModel Summary(ModelSummary summary) => new(
        "model",
        [new(summary.Name), new(string.Empty, Numeric: true)],
        [
            Row("parameters", Units.Si((double)summary.Parameters, "params")),
            Row("active parameters", Units.Si((double)summary.ActiveParameters, "params")),
            Row("layers", TableCell.Count(summary.Layers)),
            Row("hidden size", TableCell.Count(summary.HiddenSize)),
            Row("query / KV heads", $"{summary.Heads} / {summary.KvHeads}"),
            Row("experts (top-k)", summary.Experts == 0 ? "dense" : $"{summary.Experts} (top-{summary.TopK})"),
            Row("dtype", summary.Dtype + (summary.Quantization is { } q ? " " + q : string.Empty)),
        ],
        []);

    private static TableRow Row(string name, TableCell value) => new(TableRowKind.Body, [name, value]);

    private static TableModel Sweep(ImmutableArray<SweepRow> rows)
    {
        var table = Tables.Sweep(rows.Take(MaxSweepRows));
        return rows.Length <= MaxSweepRows
            ? table
            : table with { Notes = [.. table.Notes, $"first {MaxSweepRows} of {rows.Length.ToString("N0", CultureInfo.InvariantCulture)} rows"] };
    }

    private static TableCell Count(Int128 value) => new(value.ToString("N0", CultureInfo.InvariantCulture), value.ToString(CultureInfo.InvariantCulture));
}

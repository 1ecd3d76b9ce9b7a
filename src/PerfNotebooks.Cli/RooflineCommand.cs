using System.Text.Json;
using PerfNotebooks.Analysis;
using PerfNotebooks.Catalog;
using PerfNotebooks.Configuration;

namespace PerfNotebooks.Cli;

/// <summary><c>perfnb roofline</c>: a step's roofline on a GPU, per operation, component and step.</summary>
public sealed class RooflineCommand : ICommand
{
    /// <inheritdoc />
    public string Name => "roofline";

    /// <inheritdoc />
    public string Summary => "roofline of one step on a GPU: intensity, bound, attainable FLOP/s and time per operation";

    /// <inheritdoc />
    public string Usage => "perfnb roofline MODEL [--gpu NAME] [engine options] [--prefill …] [--decode …] [--terms] [--json]";

    /// <inheritdoc />
    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        .. EngineOptions.Specs, .. GpuOptions.Specs,
        new("prefill", "TOKENS[:CONTEXT][xCOUNT]", "prefill requests (repeatable, comma-separated)", Repeatable: true),
        new("decode", "CONTEXT[xCOUNT]", "decode requests (repeatable, comma-separated)", Repeatable: true),
        new("terms", null, "also list every breakdown term"),
        new("json", null, "print JSON"),
    ];

    /// <inheritdoc />
    public int Run(ParsedOptions options, TextWriter output)
    {
        options.RequirePositionals(1, Usage);
        var model = options.Positionals[0];
        var ctx = StepCommand.ReadBatch(options);
        var metrics = ModelMetrics.Create(ModelSource.Resolve(ModelCatalog.Load(model), EngineOptions.Read(options)));
        var (gpu, apply) = GpuOptions.Read(options);
        var report = Roofline.Analyze(metrics, ctx, gpu, GpuOptions.ComputeDtype(options), apply);
        if (options.Flag("json"))
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                model,
                gpu = gpu.Name,
                compute_dtype = report.Dtype.ToString().ToLowerInvariant(),
                ridge_flop_per_byte = report.Ridge,
                step_seconds = report.StepSeconds,
                lower_bound_seconds = report.Step.Seconds,
                operations = report.Operations.Select(Json),
                components = report.Components.Select(Json),
                step = Json(report.Step),
                communication = report.Communication is { } c ? Json(c) : null,
            }, Format.IndentedJson));
            return 0;
        }

        output.WriteLine($"{model} on {gpu.Name} | {report.Dtype.ToString().ToLowerInvariant()} peak {Units.FlopRate(report.PeakFlopsPerSecond)}, " +
                         $"{Units.Bandwidth(report.BytesPerSecond)} | ridge {Units.Significant(report.Ridge)} FLOP/B{(apply ? " | with stated efficiencies" : string.Empty)}");
        output.WriteLine(StepCommand.Describe(ctx));
        output.WriteLine();
        output.Write(Table(report.Operations, report.Components, report.Step, report.Communication));
        output.WriteLine($"estimated step time: {Units.Seconds(report.StepSeconds)} (operations in sequence{(report.Communication is null ? string.Empty : " + TP all-reduce")}); " +
                         $"lower bound {Units.Seconds(report.Step.Seconds)} (perfect overlap)");
        if (options.Flag("terms"))
        {
            output.WriteLine();
            output.Write(Table(report.Terms, [], null, null));
        }

        return 0;
    }

    /// <summary>A roofline table: operations, then components, then the step and communication.</summary>
    public static string Table(IEnumerable<RooflineRow> first, IEnumerable<RooflineRow> second, RooflineRow? step, RooflineRow? communication)
    {
        var table = new TextTable("", "FLOPs", "bytes", "FLOP/B", "bound", "attainable", "time");
        table.RightAligned.UnionWith([1, 2, 3, 5, 6]);
        void Add(RooflineRow r) => table.Row(r.Name, r.Bound == Bound.Communication ? "-" : Units.Flops(r.Flops), Units.Bytes(r.Bytes),
            r.Bound == Bound.Communication ? "-" : Format.Intensity(r.ArithmeticIntensity), r.Bound.ToString().ToLowerInvariant(),
            r.Bound == Bound.Communication ? "-" : Units.FlopRate(r.AttainableFlopsPerSecond), Units.Seconds(r.Seconds));
        foreach (var row in first)
        {
            Add(row);
        }

        var rest = second.ToList();
        if (rest.Count > 0)
        {
            table.Rule();
            rest.ForEach(Add);
        }

        if (step is not null)
        {
            table.Rule();
            Add(step);
        }

        if (communication is not null)
        {
            Add(communication);
        }

        return table.ToString();
    }

    private static object Json(RooflineRow r) => new
    {
        name = r.Name,
        flops = (double)r.Flops,
        bytes = (double)r.Bytes,
        intensity_flop_per_byte = double.IsFinite(r.ArithmeticIntensity) ? r.ArithmeticIntensity : (double?)null,
        bound = r.Bound.ToString().ToLowerInvariant(),
        attainable_flops_per_second = r.AttainableFlopsPerSecond,
        seconds = r.Seconds,
    };
}

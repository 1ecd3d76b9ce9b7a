using System.Globalization;
using System.Text.Json;
using PerfNotebooks.Catalog;
using PerfNotebooks.Configuration;
using PerfNotebooks.Execution;
using PerfNotebooks.Interop;

namespace PerfNotebooks.Cli;

/// <summary><c>perfnb step</c>: the breakdown of one step as a terminal table.</summary>
public sealed class StepCommand : ICommand
{
    /// <inheritdoc />
    public string Name => "step";

    /// <inheritdoc />
    public string Summary => "FLOPs, read and write bytes of one step, per component and term";

    /// <inheritdoc />
    public string Usage => "perfnb step MODEL [engine options] [--prefill TOKENS[:CONTEXT][xCOUNT]]... [--decode CONTEXT[xCOUNT]]... [--total] [--exact] [--json]";

    /// <inheritdoc />
    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        .. EngineOptions.Specs,
        new("prefill", "TOKENS[:CONTEXT][xCOUNT]", "prefill requests, e.g. 2048 or 512:4096x8 (repeatable, comma-separated)", Repeatable: true),
        new("decode", "CONTEXT[xCOUNT]", "decode requests (one token each), e.g. 8192x64 (repeatable, comma-separated)", Repeatable: true),
        new("total", null, "whole model instead of per GPU"),
        new("exact", null, "print exact integers instead of SI units"),
        new("json", null, "print JSON (exact integers) instead of a table"),
    ];

    /// <inheritdoc />
    public int Run(ParsedOptions options, TextWriter output)
    {
        options.RequirePositionals(1, Usage);
        var model = options.Positionals[0];
        var ctx = ReadBatch(options);
        var metrics = ModelMetrics.Create(ModelSource.Resolve(ModelCatalog.Load(model), EngineOptions.Read(options)));
        var scope = options.Flag("total") ? Scope.WholeModel : Scope.PerGpu;
        var flops = metrics.Flops(ctx, scope);
        var reads = metrics.ReadBytes(ctx, scope);
        var writes = metrics.WriteBytes(ctx, scope);

        if (options.Flag("json"))
        {
            WriteJson(output, model, metrics, flops, reads, writes, scope);
            return 0;
        }

        var exact = options.Flag("exact");
        var engine = metrics.Source.Engine;
        output.WriteLine($"{model} | {metrics.Source.Dtype.VllmName()}{(metrics.Source.QuantMethod is { } q ? " " + q : string.Empty)}" +
                         $" | TP{engine.TensorParallel} PP{engine.PipelineParallel} DP{engine.DataParallel}{(engine.EnableExpertParallel ? " EP" : string.Empty)}" +
                         $" | {(scope == Scope.PerGpu ? "per GPU" : "whole model")}");
        output.WriteLine(Describe(ctx));
        output.WriteLine();
        output.Write(Table(flops, reads, writes, exact));
        foreach (var skipped in metrics.Skipped)
        {
            output.WriteLine($"skipped {skipped.Name}: {skipped.ReasonName} ({skipped.Detail})");
        }

        return 0;
    }

    /// <summary>The merged breakdown table: one row per term, a subtotal per component, and the step total.</summary>
    public static string Table(Breakdown flops, Breakdown reads, Breakdown writes, bool exact)
    {
        string F(Int128 v) => exact ? v.ToString(CultureInfo.InvariantCulture) : Units.Flops(v);
        string B(Int128 v) => exact ? v.ToString(CultureInfo.InvariantCulture) : Units.Bytes(v);
        var table = new TextTable("term", "FLOPs", "read", "write");
        table.RightAligned.UnionWith([1, 2, 3]);
        var components = flops.Concat(reads).Concat(writes).Select(t => t.Component).Distinct().ToList();
        foreach (var component in components)
        {
            foreach (var term in flops.Where(t => t.Component == component))
            {
                table.Row(term.Qualified, F(term.Value), string.Empty, string.Empty);
            }

            foreach (var term in reads.Where(t => t.Component == component))
            {
                table.Row(term.Qualified, string.Empty, B(term.Value), string.Empty);
            }

            foreach (var term in writes.Where(t => t.Component == component))
            {
                table.Row(term.Qualified, string.Empty, string.Empty, B(term.Value));
            }

            table.Row(component + " subtotal", F(flops.ForComponent(component).Total), B(reads.ForComponent(component).Total), B(writes.ForComponent(component).Total));
            table.Rule();
        }

        table.Row("total", F(flops.Total), B(reads.Total), B(writes.Total));
        return table.ToString();
    }

    /// <summary>Reads the --prefill and --decode specs into a batch (empty when none is given).</summary>
    /// <exception cref="CliException">A spec is malformed.</exception>
    public static Batch ReadBatch(ParsedOptions options) =>
        RequestSpec.TryParseBatch(options.Values("prefill"), options.Values("decode"), out var batch, out var error)
            ? batch
            : throw new CliException($"perfnb {options.Command}: {error}");

    /// <summary>One line describing a batch.</summary>
    public static string Describe(Batch ctx) =>
        string.Create(CultureInfo.InvariantCulture,
            $"batch: {ctx.PrefillRequests} prefill ({ctx.PrefillTokens:N0} tokens, context {ctx.PrefillContextLength:N0}), " +
            $"{ctx.DecodeRequests} decode (context {ctx.DecodeContextLength:N0})");

    private static void WriteJson(TextWriter output, string model, ModelMetrics metrics, Breakdown flops, Breakdown reads, Breakdown writes, Scope scope)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("model", model);
            writer.WriteString("scope", scope == Scope.PerGpu ? "per_gpu" : "whole_model");
            foreach (var (name, breakdown) in new[] { ("flops", flops), ("read_bytes", reads), ("write_bytes", writes) })
            {
                ExactJson.WriteBreakdown(writer, name, breakdown);
                ExactJson.WriteInt(writer, "total_" + name, breakdown.Total);
            }

            writer.WriteStartObject("skipped");
            foreach (var skipped in metrics.Skipped)
            {
                writer.WriteString(skipped.Name, $"{skipped.ReasonName}: {skipped.Detail}");
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}

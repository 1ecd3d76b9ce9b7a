using System.Text.Json;
using PerfNotebooks.Analysis;
using PerfNotebooks.Catalog;
using PerfNotebooks.Configuration;

namespace PerfNotebooks.Cli;

/// <summary><c>perfnb models</c>: the model catalog with a one-line summary each.</summary>
public sealed class ModelsCommand : ICommand
{
    /// <inheritdoc />
    public string Name => "models";

    /// <inheritdoc />
    public string Summary => "list the bundled models (parameters, active parameters, shape, experts, dtype)";

    /// <inheritdoc />
    public string Usage => "perfnb models [--json]";

    /// <inheritdoc />
    public IReadOnlyList<OptionSpec> Options { get; } = [new("json", null, "print JSON")];

    /// <inheritdoc />
    public int Run(ParsedOptions options, TextWriter output)
    {
        options.RequirePositionals(0, Usage);
        var rows = ModelCatalog.All.Select(m => (Model: m, Summary: ModelSummary.Of(m.Name, ModelSource.Resolve(m.Load())))).ToList();
        if (options.Flag("json"))
        {
            output.WriteLine(JsonSerializer.Serialize(rows.Select(r => new
            {
                name = r.Model.Name,
                hf_id = r.Model.HuggingFaceId,
                parameters = r.Summary.Parameters,
                active_parameters = r.Summary.ActiveParameters,
                layers = r.Summary.Layers,
                hidden_size = r.Summary.HiddenSize,
                heads = r.Summary.Heads,
                kv_heads = r.Summary.KvHeads,
                experts = r.Summary.Experts,
                top_k = r.Summary.TopK,
                dtype = r.Summary.Dtype,
                quantization = r.Summary.Quantization,
                source = r.Model.Source,
            }), Format.IndentedJson));
            return 0;
        }

        var table = new TextTable("name", "hugging face id", "params", "active", "layers", "hidden", "heads/kv", "experts", "dtype", "quant");
        table.RightAligned.UnionWith([2, 3, 4, 5]);
        foreach (var (model, s) in rows)
        {
            table.Row(model.Name, model.HuggingFaceId, Format.Params(s.Parameters), Format.Params(s.ActiveParameters),
                Format.Whole(s.Layers), Format.Whole(s.HiddenSize), $"{s.Heads}/{s.KvHeads}",
                s.Experts == 0 ? "-" : $"{s.Experts} top-{s.TopK}", s.Dtype, s.Quantization ?? "-");
        }

        output.Write(table.ToString());
        return 0;
    }
}

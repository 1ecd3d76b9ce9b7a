using System.CommandLine;
using System.Text.Json.Serialization;
using PerfNotebooks.Models;
using PerfNotebooks.Rendering;

namespace PerfNotebooks.Cli;

/// <summary><c>perfnb models</c>: the model catalog with a one-line summary each.</summary>
internal static class ModelsCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var command = new Command("models", "list the bundled models (parameters, active parameters, shape, experts, dtype)");
        command.Options.Add(CliOptions.Json);
        CliCommands.SetAction(command, Run);
        return command;
    }

    private static int Run(ParseResult parse, Terminal terminal)
    {
        var rows = ModelCatalog.All.Select(m => (Model: m, PerfModel.Load(m.Name).Summary)).ToList();
        if (parse.GetValue(CliOptions.Json))
        {
            CliJson.Write(terminal.Output, [.. rows.Select(r => new ModelJson(
                r.Model.Name, r.Model.HuggingFaceId, r.Summary.Parameters, r.Summary.ActiveParameters, r.Summary.Layers, r.Summary.HiddenSize, r.Summary.Heads,
                r.Summary.KvHeads, r.Summary.Experts, r.Summary.TopK, r.Summary.Dtype, r.Summary.Quantization, r.Model.Source))], CliJsonContext.Default.IReadOnlyListModelJson);
            return 0;
        }

        terminal.Table(Tables.Models(rows.Select(r => (r.Model.Name, r.Model.HuggingFaceId, r.Summary))));
        return 0;
    }

    /// <summary>One catalog model in <c>perfnb models --json</c>.</summary>
    internal sealed record ModelJson(
        string Name, string HfId, long Parameters, long ActiveParameters, long Layers, long HiddenSize, long Heads, long KvHeads, long Experts, long TopK,
        string Dtype, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Quantization, string Source);
}

using System.CommandLine;
using PerfNotebooks.Analysis;
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
        var rows = ModelCatalog.All.Select(m => (Model: m, Summary: ModelSummary.Of(m.Name, ModelSource.Resolve(m.Load())))).ToList();
        if (parse.GetValue(CliOptions.Json))
        {
            CliJson.Write(terminal.Output, w =>
            {
                w.WriteStartArray();
                foreach (var (model, s) in rows)
                {
                    w.WriteStartObject();
                    w.WriteString("name", model.Name);
                    w.WriteString("hf_id", model.HuggingFaceId);
                    w.WriteNumber("parameters", s.Parameters);
                    w.WriteNumber("active_parameters", s.ActiveParameters);
                    w.WriteNumber("layers", s.Layers);
                    w.WriteNumber("hidden_size", s.HiddenSize);
                    w.WriteNumber("heads", s.Heads);
                    w.WriteNumber("kv_heads", s.KvHeads);
                    w.WriteNumber("experts", s.Experts);
                    w.WriteNumber("top_k", s.TopK);
                    w.WriteString("dtype", s.Dtype);
                    w.WriteString("quantization", s.Quantization);
                    w.WriteString("source", model.Source);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            });
            return 0;
        }

        terminal.Table(Tables.Models(rows.Select(r => (r.Model.Name, r.Model.HuggingFaceId, r.Summary))));
        return 0;
    }
}

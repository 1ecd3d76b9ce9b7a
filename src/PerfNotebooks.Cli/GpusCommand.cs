using System.CommandLine;
using System.Text.Json;
using PerfNotebooks.Hardware;
using PerfNotebooks.Rendering;

namespace PerfNotebooks.Cli;

/// <summary><c>perfnb gpus</c>: the GPU catalog with datasheet figures and sources.</summary>
internal static class GpusCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var command = new Command("gpus", "list the GPUs: dense peak FLOP/s per dtype, memory, bandwidth, interconnect, source");
        command.Options.Add(CliOptions.Sources);
        command.Options.Add(CliOptions.Json);
        CliCommands.SetAction(command, Run);
        return command;
    }

    private static int Run(ParseResult parse, Terminal terminal)
    {
        if (parse.GetValue(CliOptions.Json))
        {
            // The catalog's own format, efficiencies included: what --gpu FILE reads (keep one GPU of the list).
            using (var stream = new MemoryStream())
            {
                using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
                {
                    GpuCatalog.WriteJson(writer, GpuCatalog.All);
                }

                terminal.Output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
            }

            return 0;
        }

        terminal.Table(Tables.Gpus(GpuCatalog.All));
        if (parse.GetValue(CliOptions.Sources))
        {
            foreach (var gpu in GpuCatalog.All)
            {
                terminal.Line($"{gpu.Name}: {gpu.Source}");
            }
        }

        return 0;
    }
}

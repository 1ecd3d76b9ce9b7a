using System.CommandLine;
using PerfNotebooks.Rendering;

namespace PerfNotebooks.Cli;

/// <summary><c>perfnb gpus</c>: the GPU catalog with datasheet figures and sources.</summary>
public static class GpusCommand
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
            // The catalog's own format (gpus.json), so `perfnb gpus --json` output edited to one object is a --gpu file.
            CliJson.Write(terminal.Output, w =>
            {
                w.WriteStartArray();
                foreach (var g in GpuCatalog.All)
                {
                    w.WriteStartObject();
                    w.WriteString("name", g.Name);
                    w.WriteString("vendor", g.Vendor);
                    w.WriteStartObject("peak_tflops");
                    foreach (var (dtype, peak) in g.PeakFlopsPerSecond.OrderBy(p => p.Key))
                    {
                        w.WriteNumber(dtype.ToString().ToLowerInvariant(), peak / 1e12);
                    }

                    w.WriteEndObject();
                    w.WriteNumber("memory_gb", g.MemoryBytes / 1e9);
                    w.WriteNumber("memory_bandwidth_gbps", g.MemoryBytesPerSecond / 1e9);
                    w.WriteString("interconnect", g.Interconnect);
                    w.WriteNumber("interconnect_gbps", g.InterconnectBytesPerSecond / 1e9);
                    w.WriteNumber("flops_efficiency", g.FlopsEfficiency);
                    w.WriteNumber("bandwidth_efficiency", g.BandwidthEfficiency);
                    w.WriteString("source", g.Source);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            });
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

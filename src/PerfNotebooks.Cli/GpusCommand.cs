using System.Text.Json;
using PerfNotebooks.Analysis;

namespace PerfNotebooks.Cli;

/// <summary><c>perfnb gpus</c>: the GPU catalog with datasheet figures and sources.</summary>
public sealed class GpusCommand : ICommand
{
    /// <inheritdoc />
    public string Name => "gpus";

    /// <inheritdoc />
    public string Summary => "list the GPUs: dense peak FLOP/s per dtype, memory, bandwidth, interconnect, source";

    /// <inheritdoc />
    public string Usage => "perfnb gpus [--sources] [--json]";

    /// <inheritdoc />
    public IReadOnlyList<OptionSpec> Options { get; } = [new("sources", null, "print each GPU's datasheet source"), new("json", null, "print JSON")];

    /// <inheritdoc />
    public int Run(ParsedOptions options, TextWriter output)
    {
        options.RequirePositionals(0, Usage);
        var dtypes = Enum.GetValues<ComputeDtype>();
        if (options.Flag("json"))
        {
            // The catalog's own format, efficiencies included: what --gpu FILE reads (keep one GPU of the list).
            using (var stream = new MemoryStream())
            {
                using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
                {
                    GpuCatalog.WriteJson(writer, GpuCatalog.All);
                }

                output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
            }

            return 0;
        }

        var table = new TextTable(["gpu", .. dtypes.Select(d => d.ToString().ToLowerInvariant()), "memory", "bandwidth", "interconnect"]);
        table.RightAligned.UnionWith(Enumerable.Range(1, dtypes.Length + 2));
        foreach (var gpu in GpuCatalog.All)
        {
            table.Row([gpu.Name, .. dtypes.Select(d => gpu.Supports(d) ? Units.FlopRate(gpu.Peak(d)) : "-"),
                Units.Bytes(gpu.MemoryBytes), Units.Bandwidth(gpu.MemoryBytesPerSecond), $"{gpu.Interconnect} {Units.Bandwidth(gpu.InterconnectBytesPerSecond)}"]);
        }

        output.Write(table.ToString());
        output.WriteLine("dense (non-sparse) peaks; interconnect is per GPU, both directions");
        if (options.Flag("sources"))
        {
            foreach (var gpu in GpuCatalog.All)
            {
                output.WriteLine($"{gpu.Name}: {gpu.Source}");
            }
        }

        return 0;
    }
}

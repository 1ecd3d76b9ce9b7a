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
            output.WriteLine(JsonSerializer.Serialize(GpuCatalog.All.Select(g => new
            {
                name = g.Name,
                vendor = g.Vendor,
                peak_flops_per_second = g.PeakFlopsPerSecond.ToDictionary(p => p.Key.ToString().ToLowerInvariant(), p => p.Value),
                memory_bytes = g.MemoryBytes,
                memory_bytes_per_second = g.MemoryBytesPerSecond,
                interconnect = g.Interconnect,
                interconnect_bytes_per_second = g.InterconnectBytesPerSecond,
                source = g.Source,
            }), Format.IndentedJson));
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

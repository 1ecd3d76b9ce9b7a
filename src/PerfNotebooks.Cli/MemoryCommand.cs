using System.CommandLine;
using PerfNotebooks.Rendering;
using PerfNotebooks.Requests;
namespace PerfNotebooks.Cli;

/// <summary><c>perfnb memory</c>: weights, KV cache and capacity per GPU.</summary>
internal static class MemoryCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var command = new Command("memory", "memory plan per GPU: weights by part, KV bytes per token, tokens and sequences that fit");
        command.Arguments.Add(CliOptions.Model);
        CliCommands.AddAll(command, CliOptions.Engine, [CliOptions.GpuName], CliOptions.Memory, [CliOptions.Json]);
        CliCommands.SetAction(command, Run);
        return command;
    }

    private static int Run(ParseResult parse, Terminal terminal)
    {
        var values = CliOptions.Values(parse);
        var name = parse.GetValue(CliOptions.Model)!;
        var model = PerfModel.Load(name, RequestOptions.ReadEngine(values));
        var gpu = RequestOptions.ReadGpu(values).Gpu;
        var utilization = RequestOptions.Get(values, RequestOptions.Utilization);
        var context = RequestOptions.Get(values, RequestOptions.Context);
        var reserve = RequestOptions.Get(values, RequestOptions.ReserveGigabytes) * 1e9;
        var plan = model.Memory(gpu, utilization, context, reserve);
        if (parse.GetValue(CliOptions.Json))
        {
            CliJson.Write(terminal.Output, new MemoryJson(
                name, gpu.Name, utilization, plan.Weights.ToDictionary(w => w.Part, w => w.Bytes), plan.WeightBytes, plan.KvBytesPerToken, plan.UsableBytes,
                plan.KvCacheBytes, plan.Fits, plan.ShortfallBytes, plan.TokensThatFit, context, plan.SequencesThatFit), CliJsonContext.Default.MemoryJson);
            return 0;
        }

        var e = model.Engine;
        terminal.Line(FormattableString.Invariant($"{name} on {gpu.Name} ({Units.Bytes(gpu.MemoryBytes)}) | {e.Layout} | gpu_memory_utilization {utilization}"));
        terminal.Line();
        terminal.Table(Tables.Memory(plan));
        return 0;
    }

    /// <summary><c>perfnb memory --json</c>: per GPU, weight bytes by part and the KV cache, exact where they are counts.</summary>
    internal sealed record MemoryJson(
        string Model, string Gpu, double Utilization, Dictionary<string, Int128> Weights, Int128 WeightBytes, Int128 KvBytesPerToken, double UsableBytes,
        double KvCacheBytes, bool Fits, double ShortfallBytes, long TokensThatFit, long ContextLength, long SequencesThatFit);
}

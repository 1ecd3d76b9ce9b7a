using System.CommandLine;
using PerfNotebooks.Rendering;
using PerfNotebooks.Requests;
using PerfNotebooks.Vllm.Interop;
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
            CliJson.Write(terminal.Output, w =>
            {
                w.WriteStartObject();
                w.WriteString("model", name);
                w.WriteString("gpu", gpu.Name);
                w.WriteNumber("utilization", utilization);
                w.WriteStartObject("weights");
                foreach (var (part, bytes) in plan.Weights)
                {
                    ExactJson.WriteInt(w, part, bytes);
                }

                w.WriteEndObject();
                ExactJson.WriteInt(w, "weight_bytes", plan.WeightBytes);
                ExactJson.WriteInt(w, "kv_bytes_per_token", plan.KvBytesPerToken);
                CliJson.Real(w, "usable_bytes", plan.UsableBytes);
                CliJson.Real(w, "kv_cache_bytes", plan.KvCacheBytes);
                w.WriteBoolean("fits", plan.Fits);
                CliJson.Real(w, "shortfall_bytes", plan.ShortfallBytes);
                w.WriteNumber("tokens_that_fit", plan.TokensThatFit);
                w.WriteNumber("context_length", context);
                w.WriteNumber("sequences_that_fit", plan.SequencesThatFit);
                w.WriteEndObject();
            });
            return 0;
        }

        var e = model.Engine;
        terminal.Line(FormattableString.Invariant($"{name} on {gpu.Name} ({Units.Bytes(gpu.MemoryBytes)}) | {e.Layout} | gpu_memory_utilization {utilization}"));
        terminal.Line();
        terminal.Table(Tables.Memory(plan));
        return 0;
    }
}

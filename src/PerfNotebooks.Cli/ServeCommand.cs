using System.CommandLine;
using System.Text.Json;
using PerfNotebooks.Analysis;
using PerfNotebooks.Rendering;
using PerfNotebooks.Requests;

namespace PerfNotebooks.Cli;

/// <summary><c>perfnb serve</c>: a static batch or a closed loop simulated step by step, expected beside the roofline bound.</summary>
public static class ServeCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var command = new Command("serve", "serving latency and throughput of a static batch (--batch) or a closed loop (--concurrency): TTFT, ITL, TPOT, " +
                                           "end to end, output tok/s, expected and as roofline bound");
        command.Arguments.Add(CliOptions.Model);
        CliCommands.AddAll(command, CliOptions.Engine, [CliOptions.GpuName], CliOptions.Serve, [CliOptions.Json]);
        CliCommands.SetAction(command, Run);
        return command;
    }

    private static int Run(ParseResult parse, Terminal terminal)
    {
        var values = CliOptions.Values(parse);
        var name = parse.GetValue(CliOptions.Model)!;
        var gpu = RequestOptions.ReadGpu(values).Gpu;
        ServeRequest request;
        try
        {
            request = RequestOptions.ReadServe(values, PerfModel.Load(name, RequestOptions.ReadEngine(values)).Source, gpu);
        }
        catch (ArgumentException e) when (e is not ArgumentOutOfRangeException)
        {
            throw new CliException("perfnb serve: " + e.Message);
        }

        var result = ServingSimulator.Run(request);
        if (parse.GetValue(CliOptions.Json))
        {
            CliJson.Write(terminal.Output, w => WriteJson(w, name, result));
            return 0;
        }

        var e2 = request.Source.Engine;
        terminal.Line($"{name} on {gpu.Name} | {Tables.Layout(e2)} | " + Describe(request));
        terminal.Line();
        terminal.Table(Tables.Serve(result));
        return 0;
    }

    /// <summary>What was simulated, in words: <c>static batch 8 × (1024 in, 128 out)</c>.</summary>
    public static string Describe(ServeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return FormattableString.Invariant(
            $"{(request.Mode == ServeMode.StaticBatch ? "static batch" : "closed loop, concurrency")} {request.Requests} × ({request.InputTokens} in, {request.OutputTokens} out)");
    }

    private static void WriteJson(Utf8JsonWriter w, string name, ServeResult result)
    {
        var r = result.Request;
        w.WriteStartObject();
        w.WriteString("model", name);
        w.WriteString("gpu", r.Gpu.Name);
        w.WriteString("layout", Tables.Layout(r.Source.Engine));
        w.WriteString("mode", r.Mode == ServeMode.StaticBatch ? "static_batch" : "closed_loop");
        w.WriteNumber(r.Mode == ServeMode.StaticBatch ? "batch" : "concurrency", r.Requests);
        w.WriteNumber("input_len", r.InputTokens);
        w.WriteNumber("output_len", r.OutputTokens);
        w.WriteBoolean("fits", result.Fits);
        Figures(w, result.Expected);
        w.WritePropertyName("bound");
        w.WriteStartObject();
        Figures(w, result.Bound);
        w.WriteEndObject();
        w.WriteNumber("running_limit", result.RunningLimit);
        w.WriteNumber("steps", result.Steps);
        w.WriteString("timer", Tables.TimerKind(result.TimerSource));
        w.WriteString("timer_source", result.TimerSource);
        w.WriteStartArray("notes");
        foreach (var note in result.Notes)
        {
            w.WriteStringValue(note);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Figures(Utf8JsonWriter w, ServeFigures? f)
    {
        foreach (var (key, value) in new (string, double?)[]
                 {
                     ("ttft_ms", f?.TimeToFirstTokenSeconds * 1e3), ("itl_ms", f?.InterTokenLatencySeconds * 1e3), ("tpot_ms", f?.TimePerOutputTokenSeconds * 1e3),
                     ("e2e_s", f?.EndToEndSeconds), ("output_tokens_per_s", f?.OutputTokensPerSecondPerReplica), ("output_tokens_per_s_per_gpu", f?.OutputTokensPerSecondPerGpu),
                 })
        {
            if (value is { } v)
            {
                CliJson.Real(w, key, v);
            }
            else
            {
                w.WriteNull(key);
            }
        }
    }
}

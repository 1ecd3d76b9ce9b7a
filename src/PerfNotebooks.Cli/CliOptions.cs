using System.Collections.Immutable;
using System.CommandLine;
using System.CommandLine.Parsing;
using PerfNotebooks.Requests;
namespace PerfNotebooks.Cli;

/// <summary>
/// Every <c>perfnb</c> option, declared once: the request options come from the core's <see cref="RequestOptions"/>
/// (same names, help, parsers and defaults as <c>#!perf</c>); the rest are output choices of the CLI.
/// </summary>
internal static class CliOptions
{
    private static readonly Dictionary<IRequestOption, Option> Bound = [];

    /// <summary>The model argument: a path, a catalog name or a Hugging Face id.</summary>
    public static Argument<string> Model { get; } = new("MODEL")
    {
        Description = "a config.json (or a folder holding one), a catalog name (perfnb models), or a Hugging Face id (org/name[@revision])",
    };

    /// <summary>Engine options (vLLM's names).</summary>
    public static ImmutableArray<Option> Engine { get; } = [.. RequestOptions.EngineGroup.Select(Of)];

    /// <summary>GPU options.</summary>
    public static ImmutableArray<Option> Gpu { get; } = [.. RequestOptions.GpuGroup.Select(Of)];

    /// <summary>Batch options (<c>--prefill</c>, <c>--decode</c>).</summary>
    public static ImmutableArray<Option> Batch { get; } = [.. RequestOptions.BatchGroup.Select(Of)];

    /// <summary>Sweep grid options.</summary>
    public static ImmutableArray<Option> Sweep { get; } = [.. RequestOptions.SweepGroup.Select(Of)];

    /// <summary>
    /// <c>--vllm REVISION</c>: the shared slot for an engine-level vLLM revision (<see cref="RequestOptions.Vllm"/>);
    /// add it to a command's options to accept it.
    /// </summary>
    public static Option Vllm => Of(RequestOptions.Vllm);

    /// <summary><c>--gpu</c> alone.</summary>
    public static Option GpuName => Of(RequestOptions.Gpu);

    /// <summary>Memory options.</summary>
    public static ImmutableArray<Option> Memory { get; } = [Of(RequestOptions.Utilization), Of(RequestOptions.Context), Of(RequestOptions.ReserveGigabytes)];

    /// <summary>Serving options (<c>--input-len</c>, <c>--output-len</c>, <c>--batch</c>, <c>--concurrency</c>, …).</summary>
    public static ImmutableArray<Option> Serve { get; } = [.. RequestOptions.ServeGroup.Select(Of)];

    /// <summary>Capacity-planner options (<c>perfnb plan</c>): lengths, targets, the grid axes, prices.</summary>
    public static ImmutableArray<Option> Plan { get; } = [.. PlannerOptions.Group.Select(Of)];

    /// <summary><c>--vllm-exports</c> (step).</summary>
    public static Option<bool> VllmExports { get; } = Flag("--vllm-exports", "also print the MFU log line and the Prometheus counters vLLM would export for this step (per GPU)");

    /// <summary><c>--elapsed-s</c> (step): the seconds the MFU line divides by.</summary>
    public static Option<double> ElapsedSeconds { get; } = FromParser<double>("--elapsed-s", "S",
        "seconds since vLLM's previous MFU log, for --vllm-exports (default 1)", 1.0, Quantity.TryParsePositive);

    /// <summary><c>--log</c> (measured): a vLLM server log.</summary>
    public static Option<string?> Log { get; } = new("--log") { Description = "a vLLM server log (iteration details, stats and MFU lines)", HelpName = "FILE" };

    /// <summary><c>--metrics</c> (measured): one or two saved scrapes of vLLM's /metrics.</summary>
    public static Option<string[]> Metrics { get; } = new("--metrics")
    {
        Description = "one or two saved scrapes of vLLM's /metrics (two: rates over the interval between them)",
        HelpName = "SCRAPE [SCRAPE2]",
        Arity = new ArgumentArity(1, 2),
        AllowMultipleArgumentsPerToken = true,
    };

    /// <summary><c>--bench</c> (measured): a vllm bench serve --save-result JSON or an aiperf profile export.</summary>
    public static Option<string?> Bench { get; } = new("--bench") { Description = "a vllm bench serve --save-result JSON or aiperf's profile_export_aiperf.json", HelpName = "FILE" };

    /// <summary><c>--trace</c> (measured): a PyTorch profiler trace or a folder of them.</summary>
    public static Option<string?> Trace { get; } = new("--trace") { Description = "a PyTorch profiler trace (.pt.trace.json[.gz]) or a folder of per-rank traces", HelpName = "FILE_OR_DIR" };

    /// <summary><c>--profiler-config</c> (measured): vLLM's profiler config, whose directory holds the traces.</summary>
    public static Option<string?> ProfilerConfig { get; } = new("--profiler-config")
    {
        Description = "vLLM's --profiler-config JSON (or a file holding it): read the traces in its torch_profiler_dir",
        HelpName = "JSON",
    };

    /// <summary><c>--interval-s</c> (measured): seconds between two scrapes.</summary>
    public static Option<double?> IntervalSeconds { get; } = new("--interval-s")
    {
        Description = "seconds between the two scrapes (default: their sample timestamps, else the files' modification times)",
        HelpName = "S",
        CustomParser = r => Quantity.TryParsePositive(r.Tokens[^1].Value, out var v, out var e) ? v : Fail<double?>(r, "--interval-s " + e),
    };

    /// <summary><c>--decode-context</c> (measured): the context decodes attend to.</summary>
    public static Option<long?> DecodeContext { get; } = new("--decode-context")
    {
        Description = "context length each decode attends to (a log or scrape does not say; default: the mean prompt length it implies)",
        HelpName = "N",
        CustomParser = r => Quantity.TryParse(r.Tokens[^1].Value, out var v, out var e) && v > 0 ? v : Fail<long?>(r, "--decode-context " + (e.Length > 0 ? e : "must be positive")),
    };

    /// <summary><c>--fit</c> (measured): write a calibration fitted to the measured steps.</summary>
    public static Option<string?> Fit { get; } = new("--fit") { Description = "fit per-category factors to the measured steps and write them as a calibration file", HelpName = "FILE" };

    /// <summary><c>--engine-version</c> (measured --fit): the engine and version the measurements came from.</summary>
    public static Option<string?> EngineVersion { get; } = new("--engine-version") { Description = "engine and version the measurements came from, recorded in the calibration (e.g. 'vLLM 0.11.0')", HelpName = "TEXT" };

    /// <summary><c>--json</c>.</summary>
    public static Option<bool> Json { get; } = Flag("--json", "print JSON (counts as exact integers) instead of a table");

    /// <summary><c>--exact</c>.</summary>
    public static Option<bool> Exact { get; } = Flag("--exact", "print exact integers instead of SI units");

    /// <summary><c>--total</c>.</summary>
    public static Option<bool> Total { get; } = Flag("--total", "whole model instead of per GPU");

    /// <summary><c>--terms</c>.</summary>
    public static Option<bool> Terms { get; } = Flag("--terms", "also list every breakdown term");

    /// <summary><c>--sources</c>.</summary>
    public static Option<bool> Sources { get; } = Flag("--sources", "print each GPU's datasheet source");

    /// <summary><c>--no-sweep</c>.</summary>
    public static Option<bool> NoSweep { get; } = Flag("--no-sweep", "leave the sweep out");

    /// <summary><c>--no-serve</c> (report): leave the serving benchmark out.</summary>
    public static Option<bool> NoServe { get; } = Flag("--no-serve", "leave the serving benchmark out");

    /// <summary><c>-o</c>, <c>--output</c>: a file to write.</summary>
    public static Option<string?> Output { get; } = new("--output", "-o") { Description = "the file to write", HelpName = "FILE" };

    /// <summary><c>--csv</c>.</summary>
    public static Option<string?> Csv { get; } = new("--csv") { Description = "write every point as CSV", HelpName = "FILE" };

    /// <summary><c>--jsonl</c>.</summary>
    public static Option<string?> JsonLines { get; } = new("--jsonl") { Description = "write every point as JSON Lines", HelpName = "FILE" };

    /// <summary><c>--top</c>.</summary>
    public static Option<long> Top { get; } = FromParser<long>("--top", "N", "rows to print: the best N by " + Rendering.Tables.OutputTokensPerGpu, 20, Quantity.TryParse);

    /// <summary><c>--max-tpot-ms</c>.</summary>
    public static Option<double?> MaxTpotMilliseconds { get; } = new("--max-tpot-ms")
    {
        Description = "report the best point (highest " + Rendering.Tables.OutputTokensPerGpu + ") with time per output token <= T ms",
        HelpName = "T",
        CustomParser = r => Quantity.TryParsePositive(r.Tokens[^1].Value, out var v, out var e) ? v : Fail<double?>(r, "--max-tpot-ms " + e),
    };

    /// <summary><c>--sweep-batch</c> (report).</summary>
    public static Option<ImmutableArray<long>> SweepBatch { get; } = Many("--sweep-batch", "N,…", "decode batch sizes to sweep (default 1,2,4,…,256)", SweepGrid.DefaultDecodeBatches);

    /// <summary><c>--sweep-context</c> (report).</summary>
    public static Option<ImmutableArray<long>> SweepContext { get; } = Many("--sweep-context", "N,…", "decode context lengths to sweep (default 1k,4k,16k,64k)", SweepGrid.DefaultContexts);

    /// <summary><c>--cases</c> (eval).</summary>
    public static Option<string> Cases { get; } = new("--cases") { Description = "input JSON Lines ('-' for standard input)", HelpName = "FILE", Required = true };

    /// <summary><c>--configs</c> (eval).</summary>
    public static Option<string?> Configs { get; } = new("--configs") { Description = "folder the lines' \"config\" names resolve in (default: the catalog)", HelpName = "DIR" };

    /// <summary>The System.CommandLine option bound to a request option (created once, shared by every command that takes it).</summary>
    public static Option Of(IRequestOption option)
    {
        ArgumentNullException.ThrowIfNull(option);
        lock (Bound)
        {
            if (!Bound.TryGetValue(option, out var bound))
            {
                bound = option switch
                {
                    RequestOption<bool> flag => Flag("--" + flag.Name, flag.Description),
                    _ => option.Accept(new Binder()),
                };
                Bound[option] = bound;
            }

            return bound;
        }
    }

    /// <summary>The request values of a parse result: what the user gave, through the core's parsers.</summary>
    public static IRequestValues Values(ParseResult result) => new ParsedValues(result);

    private sealed class Binder : IRequestOptionVisitor<Option>
    {
        public Option Visit<T>(RequestOption<T> requestOption) => Create(requestOption);
    }

    private static Option<T> Create<T>(RequestOption<T> option)
    {
        var created = new Option<T>("--" + option.Name)
        {
            Description = option.Description,
            HelpName = option.ValueHint,
            Arity = option.AllowsMany ? ArgumentArity.OneOrMore : ArgumentArity.ExactlyOne,
            AllowMultipleArgumentsPerToken = option.TakesSeveralValues,
            CustomParser = r => option.TryParse([.. r.Tokens.Select(t => (string?)t.Value)], out var value, out var error) ? value : Fail<T>(r, error),
        };
        if (option.Suggestions.Count > 0)
        {
            created.CompletionSources.Add([.. option.Suggestions]);
        }

        foreach (var alias in option.Aliases)
        {
            created.Aliases.Add("--" + alias);
        }

        return created;
    }

    private static Option<bool> Flag(string name, string description) => new(name) { Description = description, Arity = ArgumentArity.Zero };

    private static Option<T> FromParser<T>(string name, string hint, string description, T defaultValue, RequestOption.Parser<T> parse) => new(name)
    {
        Description = description,
        HelpName = hint,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => parse(r.Tokens[^1].Value, out var value, out var error) ? value : Fail<T>(r, name + " " + error),
    };

    private static Option<ImmutableArray<long>> Many(string name, string hint, string description, ImmutableArray<long> defaultValue) => new(name)
    {
        Description = description,
        HelpName = hint,
        Arity = ArgumentArity.OneOrMore,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r =>
        {
            var values = ImmutableArray.CreateBuilder<long>();
            foreach (var token in r.Tokens)
            {
                if (!Quantity.TryParseList(token.Value, out var parsed, out var error))
                {
                    return Fail<ImmutableArray<long>>(r, name + " " + error);
                }

                values.AddRange(parsed);
            }

            return values.ToImmutable();
        },
    };

    private static T Fail<T>(ArgumentResult result, string error)
    {
        result.AddError(error);
        return default!;
    }

    private sealed class ParsedValues(ParseResult result) : IRequestValues
    {
        public bool TryGet<T>(RequestOption<T> requestOption, out T value)
        {
            value = requestOption.Default;
            if (!Bound.TryGetValue(requestOption, out var option) || result.GetResult(option) is not OptionResult { Implicit: false })
            {
                return false;
            }

            value = result.GetValue((Option<T>)option)!;
            return true;
        }
    }
}

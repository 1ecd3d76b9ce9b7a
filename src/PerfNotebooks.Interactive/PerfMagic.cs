using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using PerfNotebooks.Analysis;
using PerfNotebooks.Hardware;
using PerfNotebooks.Models;
using PerfNotebooks.Requests;
using PerfNotebooks.Vllm;
namespace PerfNotebooks.Interactive;

/// <summary>
/// The <c>#!perf</c> magic command's logic: session state (current model, engine settings, GPU) and one method per
/// subcommand, each returning a typed <see cref="MagicResult"/> C# cells can use. Lines are parsed here with the core's
/// request model (the CLI's options, parsers and defaults); extension.dib only registers <see cref="Subcommands"/> with
/// the kernel (completions, help) and forwards each cell's raw <c>#!perf</c> line to <see cref="RunCellLine"/>.
/// </summary>
public sealed class PerfMagic
{
    private static readonly RequestOption<string> NameOption = RequestOption.One("name", "MODEL",
        "catalog name, Hugging Face id (org/name[@revision]) or path to config.json", string.Empty, NonEmpty, [.. ModelCatalog.All.Select(m => m.Name)]);

    private static readonly RequestOption<bool> Total = RequestOption.Flag("total", "whole model instead of per GPU");

    /// <summary>The session the notebook's <c>#!perf</c> lines share.</summary>
    public static PerfMagic Current { get; private set; } = new();

    /// <summary>
    /// The subcommands and their parameters: the core's request-model options (the CLI's, with its parsers and
    /// defaults), plus the model name and <c>--total</c>.
    /// </summary>
    public static ImmutableArray<MagicSubcommand> Subcommands { get; } =
    [
        new("model", "choose the model (catalog name, Hugging Face id or config path) and engine settings",
            [new(NameOption, Implicit: true, Required: true), .. RequestOptions.EngineGroup.Select(o => new MagicParameter(o))]),
        new("gpu", "choose the GPU (catalog name or GPU JSON file) and measured efficiencies",
            [new(RequestOptions.Gpu, Implicit: true, Required: true), new(RequestOptions.FlopsEfficiency), new(RequestOptions.BandwidthEfficiency)]),
        new("step", "FLOPs, read and write bytes of one step per component and term",
            [new(RequestOptions.Prefill, Implicit: true), new(RequestOptions.Decode), new(Total)]),
        new("roofline", "the step's roofline on the current GPU",
            [new(RequestOptions.Prefill, Implicit: true), new(RequestOptions.Decode), new(RequestOptions.ComputeDtype)]),
        new("memory", "weights, KV cache and capacity per GPU",
            [new(RequestOptions.Context, Implicit: true), new(RequestOptions.Utilization), new(RequestOptions.ReserveGigabytes)]),
        new("sweep", "sweep decode batch × context (and layouts, GPUs, dtypes) for the current model; unset axes keep the session's model, layout and GPU",
            [new(RequestOptions.DecodeBatches, Implicit: true), new(RequestOptions.Contexts), new(RequestOptions.PrefillLengths),
             new(RequestOptions.Gpus), new(RequestOptions.TensorParallelSizes), new(RequestOptions.PipelineParallelSizes), new(RequestOptions.DataParallelSizes),
             new(RequestOptions.ExpertParallelValues), new(RequestOptions.Dtypes), new(RequestOptions.KvCacheDtypes), new(RequestOptions.Quantizations),
             new(RequestOptions.Utilization)]),
        new("serve", "a serving benchmark of the current model on the current GPU: vllm bench serve (--num-prompts, --request-rate, --max-concurrency), aiperf concurrency mode (--concurrency) or a static batch (--batch); percentiles and throughputs expected beside the roofline bound, the engine over time",
            [.. RequestOptions.ServeGroup.Select(o => new MagicParameter(o))]),
        new("plan", "capacity plan for the current model: the cheapest GPU kind, layout and replicas that serve --request-rate within --ttft-ms/--tpot-ms/--e2el-ms, judged by simulating vLLM serving each",
            [.. PlannerOptions.Group.Except([RequestOptions.HfOverrides, RequestOptions.DisableSlidingWindow, RequestOptions.Vllm]).Select(o => new MagicParameter(o))]),
        new("measured", "what vLLM or the profiler recorded beside the current model's expected time and bound on the current GPU (or --gpu): a server log (--log), one or two /metrics scrapes (--metrics A[,B]), a vllm bench serve or aiperf result (--bench) or a profiler trace (--trace, taken to run --prefill/--decode)",
            [.. RequestOptions.MeasuredGroup.Select(o => new MagicParameter(o)), new(RequestOptions.Gpu), new(RequestOptions.Prefill), new(RequestOptions.Decode),
             new(RequestOptions.DecodeContext), new(RequestOptions.IntervalSeconds), new(RequestOptions.Calibration)]),
        new("help", "what #!perf does, the current session, and the catalogs", []),
    ];

    /// <summary>The current model's name, or null before <c>#!perf model</c>.</summary>
    public string? ModelName { get; private set; }

    /// <summary>The current engine settings.</summary>
    public EngineSettings Engine { get; private set; } = EngineSettings.Default;

    /// <summary>The current GPU with its efficiencies (the request model's default GPU until <c>#!perf gpu</c>).</summary>
    public GpuSpec Gpu => GpuChoice.Gpu;

    /// <summary>The current GPU choice.</summary>
    public GpuChoice GpuChoice { get; private set; } = GpuChoice.Default;

    private PerfModel? _model;

    private readonly ConditionalWeakTable<object, StrongBox<int>> _linesRun = [];

    /// <summary>Starts a fresh session (the extension does this when it loads).</summary>
    public static PerfMagic Reset() => Current = new PerfMagic();

    /// <summary>
    /// Runs one <c>#!perf</c> line (<c>step --prefill 2048 --decode 8192x32</c>, with or without the leading
    /// <c>#!perf</c>) and returns its result. A bare line shows help; an unknown subcommand, an option the subcommand
    /// does not declare, or a bad value gets one line naming it and what is accepted.
    /// </summary>
    /// <exception cref="PerfMagicException">An unknown subcommand or option, a bad value, or a model or GPU that cannot be loaded.</exception>
    public MagicResult Run(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var tokens = MagicLine.Tokenize(line);
        if (tokens.Count > 0 && tokens[0] == "#!perf")
        {
            tokens.RemoveAt(0);
        }

        if (tokens.Count == 0 || tokens[0] is "--help" or "-h" or "-?")
        {
            return new MagicResult("help", Help());
        }

        var subcommand = tokens[0];
        var spec = Subcommands.FirstOrDefault(s => s.Name == subcommand)
            ?? throw new PerfMagicException($"#!perf: unknown subcommand '{subcommand}'; subcommands are: {string.Join(", ", Subcommands.Select(s => s.Name))} (#!perf help explains each)");
        if (tokens.Skip(1).Any(t => t is "--help" or "-h" or "-?"))
        {
            return new MagicResult("help", Help(spec));
        }

        var given = MagicLine.Bind(spec, tokens.Skip(1));
        try
        {
            return new MagicResult(subcommand, subcommand switch
            {
                "model" => LoadModel(given),
                "gpu" => ChooseGpu(given),
                "step" => Step(given),
                "roofline" => Roofline(given),
                "memory" => Memory(given),
                "sweep" => RunSweep(given),
                "serve" => Model().Serve(given, Gpu),
                "plan" => Model().Plan(PlannerOptions.ReadPlan(given)),
                "measured" => Model().Measured(given, given.TryGet(RequestOptions.Gpu, out var gpu) ? gpu.Gpu : Gpu),
                _ => Help(),
            });
        }
        catch (EngineConfigException e)
        {
            throw new PerfMagicException($"#!perf {subcommand}: {e.Setting} '{e.Value}' rejected: {e.Message}", e);
        }
        catch (Exception e) when (e is ModelConfigException or HubException or ArgumentException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new PerfMagicException($"#!perf {subcommand}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Runs the next <c>#!perf</c> line of a notebook cell: the n-th call for the same <paramref name="cell"/> object
    /// runs the cell's n-th <c>#!perf</c> line. extension.dib calls this with the kernel's <c>SubmitCode</c>, so the
    /// whole line is parsed here, options the kernel would drop included.
    /// </summary>
    /// <exception cref="PerfMagicException">As <see cref="Run(string)"/>, or the cell has no more <c>#!perf</c> lines.</exception>
    public MagicResult RunCellLine(object cell, string cellCode)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(cellCode);
        var lines = MagicLine.DirectiveLines(cellCode);
        var index = _linesRun.GetOrCreateValue(cell).Value++;
        return index < lines.Length
            ? Run(lines[index])
            : throw new PerfMagicException($"#!perf: the cell has {lines.Length} #!perf line(s) and this is call {index + 1}");
    }

    /// <summary>The current model's metrics.</summary>
    /// <exception cref="PerfMagicException">No model chosen yet.</exception>
    public ModelMetrics Metrics() => Model().Metrics;

    // The session's model, loaded by #!perf model through the front door, as the CLI loads it.
    private PerfModel Model() =>
        _model ?? throw new PerfMagicException($"#!perf: no model chosen yet; run #!perf model NAME first (catalog: {string.Join(", ", ModelCatalog.All.Select(m => m.Name))})");

    private ModelView LoadModel(OptionText o)
    {
        var name = Get(o, NameOption);
        var engine = RequestOptions.ReadEngine(o);
        var model = PerfModel.Load(name, engine);
        (_model, Engine, ModelName) = (model, engine, name);
        return new ModelView(name, model.Summary, model.Metrics);
    }

    private GpuSpec ChooseGpu(OptionText o)
    {
        GpuChoice = RequestOptions.ReadGpu(o);
        return Gpu;
    }

    private StepView Step(OptionText o)
    {
        var model = Model();
        var ctx = RequestOptions.ReadBatch(o).OrDefault().ToBatch();
        var step = model.Step(ctx, Get(o, Total) ? Scope.WholeModel : Scope.PerGpu);
        return new StepView(ModelName!, model.Metrics, ctx, step.Flops, step.ReadBytes, step.WriteBytes, step.Scope);
    }

    private RooflineReport Roofline(OptionText o) =>
        Model().Roofline(RequestOptions.ReadBatch(o).OrDefault().ToBatch(), Gpu, Get(o, RequestOptions.ComputeDtype) ?? GpuChoice.ComputeDtype);

    private MemoryPlan Memory(OptionText o) =>
        Model().Memory(Gpu, Get(o, RequestOptions.Utilization), Get(o, RequestOptions.Context), Get(o, RequestOptions.ReserveGigabytes) * 1e9);


    private SweepView RunSweep(OptionText o)
    {
        _ = Model();
        // The CLI's grid (its batch and context defaults), with the session's model, layout and GPU on unset axes.
        var session = SweepGrid.For(ModelName!, Engine, Gpu.Name);
        var given = RequestOptions.ReadSweepGrid(o);
        var grid = given with
        {
            Models = session.Models,
            Gpus = o.TryGet(RequestOptions.Gpus, out _) ? given.Gpus : session.Gpus,
            TensorParallel = o.TryGet(RequestOptions.TensorParallelSizes, out _) ? given.TensorParallel : session.TensorParallel,
            PipelineParallel = o.TryGet(RequestOptions.PipelineParallelSizes, out _) ? given.PipelineParallel : session.PipelineParallel,
            DataParallel = o.TryGet(RequestOptions.DataParallelSizes, out _) ? given.DataParallel : session.DataParallel,
            ExpertParallel = o.TryGet(RequestOptions.ExpertParallelValues, out _) ? given.ExpertParallel : session.ExpertParallel,
            Dtypes = o.TryGet(RequestOptions.Dtypes, out _) ? given.Dtypes : session.Dtypes,
            KvCacheDtypes = o.TryGet(RequestOptions.KvCacheDtypes, out _) ? given.KvCacheDtypes : session.KvCacheDtypes,
            Quantizations = o.TryGet(RequestOptions.Quantizations, out _) ? given.Quantizations : session.Quantizations,
        };
        return new SweepView([.. Sweep.Run(grid.ToSpec())]);
    }

    private HelpView Help(MagicSubcommand? only = null)
    {
        if (only is not null)
        {
            return new HelpView(string.Join('\n', [$"#!perf {only.Name}: {only.Description}", .. only.Parameters.Select(p => $"    {p.Name}{(p.Implicit ? " (name optional)" : string.Empty)}: {p.Description}")]));
        }

        var lines = new List<string>
        {
            "#!perf: where the FLOPs and bytes of an LLM inference step go (vLLM's perf model), in this notebook.",
            string.Empty,
            $"session: model {ModelName ?? "(none: #!perf model NAME)"}, TP {Engine.TensorParallel} PP {Engine.PipelineParallel} DP {Engine.DataParallel}, GPU {Gpu.Name}",
            string.Empty,
        };
        foreach (var sub in Subcommands)
        {
            lines.Add($"#!perf {sub.Name}: {sub.Description}");
            lines.AddRange(sub.Parameters.Select(p => $"    {p.Name}{(p.Implicit ? " (name optional)" : string.Empty)}: {p.Description}"));
        }

        lines.Add(string.Empty);
        lines.Add("models: " + string.Join(", ", ModelCatalog.All.Select(m => m.Name)));
        lines.Add("GPUs: " + string.Join(", ", GpuCatalog.All.Select(g => g.Name)));
        lines.Add("Every result is also a value: var step = PerfMagic.Current.Run(\"step --prefill 2048\").Step;");
        return new HelpView(string.Join('\n', lines));
    }

    private static T Get<T>(OptionText values, RequestOption<T> option) => RequestOptions.Get(values, option);

    private static bool NonEmpty(string? text, out string value, out string error)
    {
        value = text ?? string.Empty;
        error = string.IsNullOrWhiteSpace(text) ? "needs a value" : string.Empty;
        return error.Length == 0;
    }
}

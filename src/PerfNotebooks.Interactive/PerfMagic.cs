using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
using PerfNotebooks.Analysis;
using PerfNotebooks.Catalog;
using PerfNotebooks.Configuration;
using PerfNotebooks.Execution;
using PerfNotebooks.Hub;

namespace PerfNotebooks.Interactive;

/// <summary>
/// The <c>#!perf</c> magic command's logic: session state (current model, engine settings, GPU) and one method per
/// subcommand, each returning a value C# cells can use. extension.dib only registers <see cref="Subcommands"/> with
/// the kernel and forwards parsed options to <see cref="Run"/>.
/// </summary>
public sealed class PerfMagic
{
    private static readonly string[] Dtypes = ["fp32", "tf32", "bf16", "fp16", "fp8", "fp4"];

    /// <summary>The session the notebook's <c>#!perf</c> lines share.</summary>
    public static PerfMagic Current { get; private set; } = new();

    /// <summary>The subcommands and their parameters, with completions for models, GPUs and dtypes.</summary>
    public static ImmutableArray<MagicSubcommand> Subcommands { get; } =
    [
        new("model", "choose the model (catalog name, Hugging Face id or config path) and engine settings",
        [
            new("--name", "catalog name, Hugging Face id (org/name[@revision]) or path to config.json", Implicit: true, Required: true,
                Completions: () => ModelCatalog.All.Select(m => m.Name)),
            new("--dtype", $"model dtype: {string.Join(", ", ModelSource.Dtypes)}", Completions: () => ModelSource.Dtypes),
            new("--kv-cache-dtype", $"KV-cache dtype: {string.Join(", ", ModelSource.KvCacheDtypes)}", Completions: () => ModelSource.KvCacheDtypes),
            new("--quantization", "quantization method (default: the checkpoint's)", Completions: () => ModelSource.QuantizationMethods),
            new("--tp", "tensor-parallel size"),
            new("--pp", "pipeline-parallel size"),
            new("--dp", "data-parallel size"),
            new("--ep", "enable expert parallelism", Flag: true),
        ]),
        new("gpu", "choose the GPU (catalog name or GPU JSON file) and measured efficiencies",
        [
            new("--name", "GPU name (see #!perf help) or a GPU JSON file", Implicit: true, Required: true, Completions: () => GpuCatalog.All.Select(g => g.Name)),
            new("--flops-efficiency", "achievable fraction of peak FLOP/s, in (0, 1]"),
            new("--bandwidth-efficiency", "achievable fraction of peak bandwidth, in (0, 1]"),
        ]),
        new("step", "FLOPs, read and write bytes of one step per component and term",
        [
            new("--prefill", "prefill requests TOKENS[:CONTEXT][xCOUNT], comma-separated (e.g. 2048,512:4096x8)", Implicit: true),
            new("--decode", "decode requests CONTEXT[xCOUNT], comma-separated (e.g. 8192x32)"),
            new("--total", "whole model instead of per GPU", Flag: true),
        ]),
        new("roofline", "the step's roofline on the current GPU",
        [
            new("--prefill", "prefill requests TOKENS[:CONTEXT][xCOUNT], comma-separated", Implicit: true),
            new("--decode", "decode requests CONTEXT[xCOUNT], comma-separated"),
            new("--compute-dtype", "override the compute dtype: fp32, tf32, bf16, fp16, fp8, fp4", Completions: () => Dtypes),
        ]),
        new("memory", "weights, KV cache and capacity per GPU",
        [
            new("--context", "context length to count concurrent sequences at", Implicit: true),
            new("--utilization", "gpu_memory_utilization in (0, 1], default 0.9"),
        ]),
        new("sweep", "sweep decode batch × context (and TP, GPUs) for the current model",
        [
            new("--batch", "decode batch sizes, comma-separated (default 1,8,32,128)", Implicit: true),
            new("--context", "context lengths, comma-separated (default 4096)"),
            new("--tp", "tensor-parallel sizes, comma-separated (default: the current)"),
            new("--gpus", "GPUs, comma-separated (default: the current)", Completions: () => GpuCatalog.All.Select(g => g.Name)),
        ]),
        new("help", "what #!perf does, the current session, and the catalogs", []),
    ];

    /// <summary>The current model's name, or null before <c>#!perf model</c>.</summary>
    public string? ModelName { get; private set; }

    /// <summary>The current engine settings.</summary>
    public EngineSettings Engine { get; private set; } = EngineSettings.Default;

    /// <summary>The current GPU (H100-SXM until <c>#!perf gpu</c>).</summary>
    public GpuSpec Gpu { get; private set; } = GpuCatalog.Find("H100-SXM");

    private HfConfig? _config;

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
                "model" => Model(given),
                "gpu" => ChooseGpu(given),
                "step" => Step(given),
                "roofline" => Roofline(given),
                "memory" => Memory(given),
                "sweep" => RunSweep(given),
                _ => Help(),
            });
        }
        catch (EngineConfigException e)
        {
            throw new PerfMagicException($"#!perf {subcommand}: {e.Setting} '{e.Value}' rejected: {e.Message}", e);
        }
        catch (Exception e) when (e is ModelConfigException or HubException or ArgumentException)
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
    public ModelMetrics Metrics() => ModelMetrics.Create(ModelSource.Resolve(
        _config ?? throw new PerfMagicException($"#!perf: no model chosen yet; run #!perf model NAME first (catalog: {string.Join(", ", ModelCatalog.All.Select(m => m.Name))})"),
        Engine));

    private ModelView Model(Dictionary<string, string> o)
    {
        var name = o["name"];
        var engine = new EngineSettings
        {
            Dtype = o.GetValueOrDefault("dtype") ?? "auto",
            KvCacheDtype = o.GetValueOrDefault("kvcachedtype") ?? "auto",
            Quantization = o.GetValueOrDefault("quantization"),
            TensorParallel = PositiveInt(o, "tp", "model", 1),
            PipelineParallel = PositiveInt(o, "pp", "model", 1),
            DataParallel = PositiveInt(o, "dp", "model", 1),
            EnableExpertParallel = o.GetValueOrDefault("ep") == "true",
        };
        var config = ModelCatalog.Load(name);
        var metrics = ModelMetrics.Create(ModelSource.Resolve(config, engine));
        (_config, Engine, ModelName) = (config, engine, name);
        return new ModelView(name, ModelSummary.Of(name, metrics.Source), metrics);
    }

    private GpuSpec ChooseGpu(Dictionary<string, string> o)
    {
        var gpu = GpuCatalog.Find(o["name"]);
        var flops = Fraction(o, "flopsefficiency", "--flops-efficiency", gpu.FlopsEfficiency);
        var bandwidth = Fraction(o, "bandwidthefficiency", "--bandwidth-efficiency", gpu.BandwidthEfficiency);
        Gpu = gpu with { FlopsEfficiency = flops, BandwidthEfficiency = bandwidth };
        return Gpu;
    }

    private StepView Step(Dictionary<string, string> o)
    {
        var metrics = Metrics();
        var ctx = Batch(o, "step");
        var scope = o.GetValueOrDefault("total") == "true" ? Scope.WholeModel : Scope.PerGpu;
        return new StepView(ModelName!, metrics, ctx, metrics.Flops(ctx, scope), metrics.ReadBytes(ctx, scope), metrics.WriteBytes(ctx, scope), scope);
    }

    private RooflineReport Roofline(Dictionary<string, string> o)
    {
        ComputeDtype? dtype = o.TryGetValue("computedtype", out var text)
            ? Enum.TryParse<ComputeDtype>(text, ignoreCase: true, out var d) && Dtypes.Contains(text.ToLowerInvariant())
                ? d
                : throw new PerfMagicException($"#!perf roofline: --compute-dtype must be one of {string.Join(", ", Dtypes)}, not '{text}'")
            : null;
        var applyEfficiency = Gpu.FlopsEfficiency < 1 || Gpu.BandwidthEfficiency < 1;
        return Analysis.Roofline.Analyze(Metrics(), Batch(o, "roofline"), Gpu, dtype, applyEfficiency);
    }

    private MemoryPlan Memory(Dictionary<string, string> o)
    {
        var utilization = o.TryGetValue("utilization", out _) ? Fraction(o, "utilization", "--utilization", 0.9) : MemoryPlanner.DefaultUtilization;
        return MemoryPlanner.Plan(Metrics(), Gpu, utilization, o.ContainsKey("context") ? PositiveInt(o, "context", "memory", 0) : 0);
    }

    private SweepView RunSweep(Dictionary<string, string> o)
    {
        _ = Metrics();
        var spec = new SweepSpec
        {
            Models = [ModelName!],
            Gpus = o.TryGetValue("gpus", out var gpus) ? [.. Split(gpus)] : [Gpu.Name],
            TensorParallel = o.TryGetValue("tp", out var tps) ? [.. Split(tps).Select(v => Positive(v, "--tp", "sweep"))] : [Engine.TensorParallel],
            PipelineParallel = [Engine.PipelineParallel],
            DataParallel = [Engine.DataParallel],
            ExpertParallel = [Engine.EnableExpertParallel],
            Dtypes = [Engine.Dtype],
            KvCacheDtypes = [Engine.KvCacheDtype],
            Quantizations = [Engine.Quantization],
            Batches = [.. BatchShape.DecodeGrid(
                (o.TryGetValue("batch", out var b) ? Split(b) : ["1", "8", "32", "128"]).Select(v => (long)Positive(v, "--batch", "sweep")),
                (o.TryGetValue("context", out var c) ? Split(c) : ["4096"]).Select(v => (long)Positive(v, "--context", "sweep")))],
        };
        return new SweepView([.. Sweep.Run(spec)]);
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

    private static string[] Split(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static Batch Batch(Dictionary<string, string> o, string subcommand) =>
        !o.ContainsKey("prefill") && !o.ContainsKey("decode") ? RequestSpec.DefaultStep
        : RequestSpec.TryParseBatch(o.TryGetValue("prefill", out var p) ? [p] : [], o.TryGetValue("decode", out var d) ? [d] : [], out var batch, out var error)
            ? batch
            : throw new PerfMagicException($"#!perf {subcommand}: {error}");

    private static int PositiveInt(Dictionary<string, string> o, string key, string subcommand, int fallback) =>
        o.TryGetValue(key, out var text) ? Positive(text, "--" + key, subcommand) : fallback;

    private static int Positive(string text, string option, string subcommand) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new PerfMagicException($"#!perf {subcommand}: {option} must be a positive whole number, not '{text}'");

    private static double Fraction(Dictionary<string, string> o, string key, string option, double fallback) =>
        !o.TryGetValue(key, out var text) ? fallback
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is > 0 and <= 1
            ? value
            : throw new PerfMagicException($"#!perf: {option} must be a fraction in (0, 1], not '{text}'");
}

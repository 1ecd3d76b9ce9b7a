using System.Collections.Immutable;
using PerfNotebooks.Analysis;
using PerfNotebooks.Hardware;
using PerfNotebooks.Measured;
using PerfNotebooks.Models;
using PerfNotebooks.Physical;
using PerfNotebooks.Requests;
using PerfNotebooks.Serving;
using PerfNotebooks.Vllm;
using PerfNotebooks.Vllm.Components;
using PerfNotebooks.Vllm.Stats;
namespace PerfNotebooks;

/// <summary>
/// The front door: a model with engine settings, from which every figure follows. Load it from a path, a catalog
/// name or a Hugging Face id; ask for FLOPs and bytes (vLLM's book, exact) and what vLLM exports for them, the
/// physical step's expected time and bound, the roofline and memory on a GPU, serving scenarios and sweeps.
/// </summary>
/// <example>
/// <code>
/// var model = PerfModel.Load("llama-3.1-70b", new EngineSettings { TensorParallel = 4 });
/// var step = Batch.Prefill(2048).WithDecodes(32, contextLength: 8192);
/// Console.WriteLine(model.Step(step));
/// Console.WriteLine(model.Roofline(step, GpuCatalog.Find("H100-SXM")));
/// Console.WriteLine(model.Estimate(step, GpuCatalog.Find("H100-SXM")).ExpectedSeconds);
/// </code>
/// </example>
public sealed class PerfModel
{
    private PerfModel(string name, ModelMetrics metrics)
    {
        Name = name;
        Metrics = metrics;
    }

    /// <summary>The name the model was loaded by (catalog name, Hugging Face id or path).</summary>
    public string Name { get; }

    /// <summary>vLLM's perf model of it: components, skipped components and breakdowns.</summary>
    public ModelMetrics Metrics { get; }

    /// <summary>The engine settings it was resolved with.</summary>
    public EngineSettings Engine => Metrics.Source.Engine;

    /// <summary>The resolved config (dtype, quantization, shape).</summary>
    public ModelSource Source => Metrics.Source;

    /// <summary>Parameters, active parameters, shape, experts, dtype and quantization.</summary>
    public ModelSummary Summary => ModelSummary.Of(Name, Metrics.Source);

    /// <summary>The components that do not apply, with why.</summary>
    public ImmutableArray<ComponentOutcome.Skipped> Skipped => Metrics.Skipped;

    /// <summary>
    /// Loads a model from a <c>config.json</c> (or a folder holding one), a catalog name (<c>llama-3.1-70b</c>), a
    /// catalog model's Hugging Face id, or any <c>org/name[@revision]</c> (local cache, then the hub).
    /// </summary>
    /// <exception cref="ModelConfigException">Not found, or a config value the model cannot use.</exception>
    /// <exception cref="EngineConfigException">vLLM would reject the settings.</exception>
    /// <exception cref="HubException">A hub id that is not cached and could not be downloaded.</exception>
    public static PerfModel Load(string pathOrName, EngineSettings? engine = null, HubClient? hub = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(pathOrName);
        return new PerfModel(pathOrName, ModelMetrics.Create(ModelSource.Resolve(ModelCatalog.Load(pathOrName, hub), engine)));
    }

    /// <summary>Wraps metrics built another way (a custom component registry, say).</summary>
    public static PerfModel From(string name, ModelMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return new PerfModel(name, metrics);
    }

    /// <summary>The same config with other engine settings (another layout or dtype).</summary>
    /// <exception cref="EngineConfigException">vLLM would reject the settings.</exception>
    public PerfModel With(EngineSettings engine) => new(Name, ModelMetrics.Create(ModelSource.Resolve(Metrics.Source.Config, engine)));

    /// <summary>FLOPs of the batch per component and term.</summary>
    public Breakdown Flops(in Batch batch, Scope scope = Scope.PerGpu) => Metrics.Flops(batch, scope);

    /// <summary>Bytes read from device memory per component and term.</summary>
    public Breakdown ReadBytes(in Batch batch, Scope scope = Scope.PerGpu) => Metrics.ReadBytes(batch, scope);

    /// <summary>Bytes written to device memory per component and term.</summary>
    public Breakdown WriteBytes(in Batch batch, Scope scope = Scope.PerGpu) => Metrics.WriteBytes(batch, scope);

    /// <summary>FLOPs, read bytes and write bytes together, with a readable summary.</summary>
    public StepBreakdown Step(in Batch batch, Scope scope = Scope.PerGpu) =>
        new(batch, scope, Metrics.Flops(batch, scope), Metrics.ReadBytes(batch, scope), Metrics.WriteBytes(batch, scope));

    /// <summary>
    /// The step's roofline on <paramref name="gpu"/>: per kernel, component and step, with the TP all-reduce. A GPU
    /// with a measured efficiency below 1 is used at that efficiency.
    /// </summary>
    /// <remarks>The vLLM book's roofline (<see cref="Analysis.Roofline.Analyze"/>) with the physical book's expected
    /// step time, its operations and its warnings beside it; when the physical book cannot model the config, the
    /// report says why in <see cref="RooflineReport.Warnings"/> and <see cref="RooflineReport.Physical"/> is null.</remarks>
    public RooflineReport Roofline(in Batch batch, GpuSpec gpu, ComputeDtype? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        return WithPhysical(Analysis.Roofline.Analyze(Metrics, batch, gpu, dtype, gpu.HasMeasuredEfficiency), batch, gpu);
    }

    /// <summary>The step's roofline on a GPU choice (efficiencies and compute dtype as chosen), with the physical book's expected time beside it.</summary>
    public RooflineReport Roofline(in Batch batch, GpuChoice gpu)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        return WithPhysical(Analysis.Roofline.Analyze(Metrics, batch, gpu.Gpu, gpu.ComputeDtype, gpu.ApplyEfficiency), batch, gpu.Gpu);
    }

    /// <summary>
    /// The physical book's step on <paramref name="gpu"/>, per GPU: the expected time (kernels timed by
    /// <paramref name="timer"/>, engine overhead, communication) and the roofline bound, seconds.
    /// </summary>
    /// <param name="batch">The step.</param>
    /// <param name="gpu">The GPU.</param>
    /// <param name="timer">Kernel timer; null takes <see cref="Physical.Kernels.KernelTimers.Expected"/> for the GPU.</param>
    /// <exception cref="ModelConfigException">The physical book cannot model the config; names the key.</exception>
    /// <exception cref="OverflowException">A per-GPU count passes 2^63.</exception>
    public StepTime Estimate(in Batch batch, GpuSpec gpu, IKernelTimer? timer = null)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        return new StepModel(PhysicalModel.From(Source), gpu, timer).Estimate(batch);
    }

    /// <summary>The physical book's step on a GPU choice: expected time and roofline bound, seconds per GPU.</summary>
    /// <exception cref="ModelConfigException">The physical book cannot model the config; names the key.</exception>
    /// <exception cref="OverflowException">A per-GPU count passes 2^63.</exception>
    public StepTime Estimate(in Batch batch, GpuChoice gpu, IKernelTimer? timer = null)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        return Estimate(batch, gpu.Gpu, timer);
    }

    /// <summary>
    /// What vLLM itself would export for <paramref name="steps"/> logged once, <paramref name="elapsedSeconds"/> after
    /// the logger started: its MFU log line and Prometheus counters (per GPU, as vLLM).
    /// </summary>
    /// <exception cref="OverflowException">A count does not fit in 128 bits.</exception>
    public VllmExports Exports(IEnumerable<Batch> steps, double elapsedSeconds, string logPrefix = "") =>
        VllmExports.ForSteps(Metrics, steps, elapsedSeconds, Name, logPrefix);

    /// <summary>Memory per GPU: weights by part, KV cache, tokens and sequences that fit.</summary>
    /// <param name="gpu">The GPU.</param>
    /// <param name="utilization">vLLM's <c>gpu_memory_utilization</c>.</param>
    /// <param name="contextLength">Context length to count sequences at (0: none).</param>
    /// <param name="reserveBytes">Bytes per GPU set aside for activations and overhead.</param>
    public MemoryPlan Memory(GpuSpec gpu, double utilization = MemoryPlanner.DefaultUtilization, long contextLength = 0, double reserveBytes = 0) =>
        MemoryPlanner.Plan(Metrics, gpu, utilization, contextLength, reserveBytes);

    /// <summary>
    /// A serving benchmark of this model on <paramref name="gpu"/>: <paramref name="client"/> (<c>vllm bench serve</c>,
    /// aiperf's concurrency mode or a static batch) against a vLLM server with <paramref name="server"/> settings
    /// (vLLM's defaults when null), simulated step by step; vllm bench serve's metrics, expected beside the bound.
    /// </summary>
    /// <example><code>model.Serve(GpuCatalog.Find("H100-SXM"), new BenchServeClient { NumPrompts = 1000, RequestRate = 10 })</code></example>
    public ServeBenchmarkResult Serve(GpuSpec gpu, LoadClient client, ServerSettings? server = null)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        ArgumentNullException.ThrowIfNull(client);
        return ServeSimulator.Run(new ServeBenchmark { Source = Source, Gpu = gpu, Client = client, Server = server ?? new ServerSettings() });
    }

    /// <summary>
    /// The serving benchmark the option <paramref name="values"/> ask for (<c>perfnb serve</c>'s options: the client,
    /// lengths, engine limits, kernel tables and calibration) on <paramref name="gpu"/>, simulated as
    /// <see cref="Serve(GpuSpec, LoadClient, ServerSettings?)"/> does.
    /// </summary>
    /// <exception cref="ArgumentException">The values contradict each other (a static batch with a request rate, …); the message is one line.</exception>
    public ServeBenchmarkResult Serve(IRequestValues values, GpuSpec gpu)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(gpu);
        return ServeSimulator.Run(RequestOptions.ReadServe(values, Source, gpu));
    }

    /// <summary>
    /// A sweep of this model at its layout on <paramref name="gpu"/> over decode batch sizes × contexts (defaults:
    /// <see cref="SweepGrid.DefaultDecodeBatches"/> × <see cref="SweepGrid.DefaultContexts"/>); rows stream in order.
    /// </summary>
    public IEnumerable<SweepRow> Sweep(string gpu = GpuChoice.DefaultName, IEnumerable<long>? decodeBatches = null, IEnumerable<long>? contexts = null)
    {
        var grid = SweepGrid.For(Name, Engine, gpu) with
        {
            DecodeBatches = decodeBatches is null ? SweepGrid.DefaultDecodeBatches : [.. decodeBatches],
            Contexts = contexts is null ? SweepGrid.DefaultContexts : [.. contexts],
        };
        return Analysis.Sweep.Run(grid.ToSpec());
    }

    // Implementation note: the front door composes the two books; the vLLM-book roofline never builds the physical
    // model, so a config only the physical book refuses still gets its exact counts, with the reason beside them.
    private RooflineReport WithPhysical(RooflineReport report, in Batch batch, GpuSpec gpu, IKernelTimer? timer = null)
    {
        try
        {
            var physical = new StepModel(PhysicalModel.From(Source), gpu, timer);
            var skipped = Metrics.Skipped.Select(s => $"vLLM book skips {s.Name}: {s.Detail}");
            return report with
            {
                Physical = physical.Estimate(batch),
                PhysicalOperations = physical.Operations(batch),
                Warnings = [.. physical.Model.Warnings, .. skipped],
            };
        }
        catch (ModelConfigException e)
        {
            return report with { Warnings = ["physical estimate unavailable: " + e.Message] };
        }
        catch (OverflowException)
        {
            return report with { Warnings = [$"physical estimate unavailable: {Source.Config.Source}: a size in the config makes a per-GPU count pass 2^63"] };
        }
    }

    /// <summary>
    /// The cheapest deployment of this model (GPU kind, layout, replicas; aggregated or disaggregated) that serves the
    /// request's rate within its latency targets, every candidate judged by simulating vLLM serving it; with the
    /// runners-up and the Pareto front. This model's engine settings give what the plan does not vary (HF overrides,
    /// sliding windows, vLLM revision).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public PlannerResult Plan(PlannerRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Planner.Plan(Metrics.Source, request) with { Model = Name };
    }

    /// <summary>The step's roofline on a GPU choice, its expected time from <paramref name="timer"/> (a calibrated or
    /// measured-table timer; null: the shipped one).</summary>
    public RooflineReport Roofline(in Batch batch, GpuChoice gpu, IKernelTimer? timer)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        return WithPhysical(Analysis.Roofline.Analyze(Metrics, batch, gpu.Gpu, gpu.ComputeDtype, gpu.ApplyEfficiency), batch, gpu.Gpu, timer);
    }

    /// <summary>Expected step times of this model on <paramref name="gpu"/> per kernel category, what measured steps are
    /// held against; with a <paramref name="calibration"/> its factors scale the kernel times.</summary>
    public StepEstimates Expected(GpuSpec gpu, Calibration? calibration = null, IKernelTimer? timer = null) => new(Source, gpu, timer, calibration);

    /// <summary>A vLLM server log beside the model: every iteration line re-estimated with its batch (decodes attending
    /// to <paramref name="decodeContextLength"/> tokens; null: the log's mean prefill length), the MFU lines beside MFU
    /// and MBU on <paramref name="gpu"/>.</summary>
    public LogComparison Measured(ServerLog log, GpuSpec gpu, Calibration? calibration = null, long? decodeContextLength = null, IKernelTimer? timer = null) =>
        Comparisons.Log(log, Expected(gpu, calibration, timer), decodeContextLength);

    /// <summary>A profiler trace beside the model: kernel time per category per step against the expected time of
    /// <paramref name="batch"/> (what each traced step ran; null: the default step).</summary>
    public TraceComparison Measured(ProfilerTrace trace, GpuSpec gpu, Batch? batch = null, Calibration? calibration = null, IKernelTimer? timer = null) =>
        Comparisons.Trace(trace, Expected(gpu, calibration, timer), batch ?? BatchSpec.Default.ToBatch(), batch is not null);

    /// <summary>A serving benchmark result beside its replay through the serving simulator with the same client settings.</summary>
    public BenchmarkComparison Measured(BenchmarkResult result, GpuSpec gpu, Calibration? calibration = null, IKernelTimer? timer = null)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        var t = timer ?? Physical.Kernels.KernelTimers.Expected(gpu);
        return Comparisons.Benchmark(result, Source, gpu, calibration is null ? t : calibration.Apply(t));
    }

    /// <summary>A scrape window beside the model: its mean step and that step's expected time.</summary>
    public ScrapeComparison Measured(MetricsWindow window, GpuSpec gpu, Calibration? calibration = null, long? decodeContextLength = null, IKernelTimer? timer = null) =>
        Comparisons.Scrape(window, Expected(gpu, calibration, timer), decodeContextLength);

    /// <summary>
    /// The measured input <paramref name="values"/> name (exactly one of <c>--log</c>, <c>--metrics</c>, <c>--bench</c>
    /// or <c>--trace</c>) held against the model on <paramref name="gpu"/>: a <see cref="LogComparison"/>,
    /// <see cref="ScrapeComparison"/>, <see cref="BenchmarkComparison"/> or <see cref="TraceComparison"/>. A trace is
    /// taken to have run the values' batch (<c>--prefill</c>, <c>--decode</c>; the default step when none is given);
    /// a log or scrape's decodes attend to <c>--decode-context</c> tokens.
    /// </summary>
    /// <exception cref="ArgumentException">None or more than one measured input is given, or a calibration fitted on another GPU.</exception>
    /// <exception cref="InvalidDataException">The file cannot be read (the message names the file and the line or field).</exception>
    public IMeasuredComparison Measured(IRequestValues values, GpuSpec gpu)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(gpu);
        var log = RequestOptions.Get(values, RequestOptions.Log);
        var scrapes = RequestOptions.Get(values, RequestOptions.Scrapes);
        var bench = RequestOptions.Get(values, RequestOptions.Bench);
        var trace = RequestOptions.Get(values, RequestOptions.Trace);
        if (new[] { log is not null, !scrapes.IsDefaultOrEmpty, bench is not null, trace is not null }.Count(given => given) != 1)
        {
            throw new ArgumentException("give exactly one of --log FILE, --metrics SCRAPE[,SCRAPE2], --bench FILE or --trace FILE");
        }

        if (scrapes.Length > 2)
        {
            throw new ArgumentException($"--metrics takes one or two scrapes, not {scrapes.Length}");
        }

        var calibration = RequestOptions.ReadCalibration(values, gpu);
        var decodeContext = RequestOptions.Get(values, RequestOptions.DecodeContext);
        if (log is not null)
        {
            return Measured(ServerLog.Load(log), gpu, calibration, decodeContext);
        }

        if (!scrapes.IsDefaultOrEmpty)
        {
            var window = MetricsWindow.Load(scrapes[0], scrapes.Length > 1 ? scrapes[1] : null, RequestOptions.Get(values, RequestOptions.IntervalSeconds));
            return Measured(window, gpu, calibration, decodeContext);
        }

        if (bench is not null)
        {
            return Measured(BenchmarkResult.Load(bench), gpu, calibration);
        }

        var batch = RequestOptions.ReadBatch(values);
        return Measured(ProfilerTrace.Load(trace!), gpu, batch.IsEmpty ? null : batch.ToBatch(), calibration);
    }

    /// <summary>One line: name, parameters, dtype, layout.</summary>
    public override string ToString()
    {
        var e = Engine;
        return $"{Name}: {Metrics.Source.Dtype.VllmName()}{(Metrics.Source.QuantMethod is { } q ? " " + q : string.Empty)}, " +
               $"{e.Layout}, " +
               $"{Metrics.Components.Length} components{(Skipped.IsEmpty ? string.Empty : $", {Skipped.Length} skipped")}";
    }
}

using System.Collections.Immutable;
using PerfNotebooks.Analysis;
using PerfNotebooks.Hardware;
namespace PerfNotebooks.Interactive;

/// <summary>
/// What a <c>#!perf</c> line returns: the subcommand and its value, with a typed accessor per subcommand
/// (<c>PerfMagic.Current.Run("step --prefill 2048").Step.Flops</c>). An accessor of another subcommand throws
/// <see cref="PerfMagicException"/> naming what the line did return.
/// </summary>
public sealed class MagicResult
{
    internal MagicResult(string subcommand, object value) => (Subcommand, Value) = (subcommand, value);

    /// <summary>The subcommand that ran (<c>step</c>).</summary>
    public string Subcommand { get; }

    /// <summary>The result itself, one of the typed accessors' types.</summary>
    public object Value { get; }

    /// <summary>The model (<c>#!perf model</c>).</summary>
    public ModelView Model => As<ModelView>();

    /// <summary>The GPU with its efficiencies (<c>#!perf gpu</c>).</summary>
    public GpuSpec Gpu => As<GpuSpec>();

    /// <summary>The step's breakdowns (<c>#!perf step</c>).</summary>
    public StepView Step => As<StepView>();

    /// <summary>The roofline (<c>#!perf roofline</c>).</summary>
    public RooflineReport Roofline => As<RooflineReport>();

    /// <summary>The memory plan (<c>#!perf memory</c>).</summary>
    public MemoryPlan Memory => As<MemoryPlan>();

    /// <summary>The sweep (<c>#!perf sweep</c>).</summary>
    public SweepView Sweep => As<SweepView>();

    /// <summary>The serving simulation (<c>#!perf serve</c>).</summary>
    public Serving.ServeBenchmarkResult Serve => As<Serving.ServeBenchmarkResult>();

    /// <summary>A server log beside the model (<c>#!perf measured --log</c>).</summary>
    public Measured.LogComparison MeasuredLog => As<Measured.LogComparison>();

    /// <summary>A profiler trace beside the model (<c>#!perf measured --trace</c>).</summary>
    public Measured.TraceComparison MeasuredTrace => As<Measured.TraceComparison>();

    /// <summary>A benchmark result beside its replay (<c>#!perf measured --bench</c>).</summary>
    public Measured.BenchmarkComparison MeasuredBenchmark => As<Measured.BenchmarkComparison>();

    /// <summary>A <c>/metrics</c> window beside the model (<c>#!perf measured --metrics</c>).</summary>
    public Measured.ScrapeComparison MeasuredScrape => As<Measured.ScrapeComparison>();

    /// <summary>The help text (<c>#!perf help</c>, or a bare <c>#!perf</c>).</summary>
    public HelpView Help => As<HelpView>();

    /// <summary>
    /// The result's charts; a <see cref="Rendering.Figures.Figure"/> value displays as the plotly mime type, so a C#
    /// cell can draw one on its own (a returned result's HTML carries tables and each chart's title only).
    /// </summary>
    public ImmutableArray<Rendering.Figures.Figure> Figures => [.. NotebookHtml.Outputs(Value).Where(o => o.Figure is not null).Select(o => o.Figure!)];

    /// <inheritdoc />
    public override string ToString() => $"#!perf {Subcommand}: {Value}";

    private T As<T>()
        where T : class =>
        Value as T ?? throw new PerfMagicException($"#!perf {Subcommand} returned a {Value.GetType().Name}, not a {typeof(T).Name}");
}

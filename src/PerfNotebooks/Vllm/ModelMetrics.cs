using System.Collections.Immutable;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using PerfNotebooks.Internal;
using PerfNotebooks.Models;
using PerfNotebooks.Vllm.Components;
using PerfNotebooks.Vllm.Stats;
namespace PerfNotebooks.Vllm;

/// <summary>
/// A model's perf metrics: every component that applies, the ones skipped with their reasons, and breakdowns of
/// FLOPs, read bytes and write bytes for a batch, as vLLM's <c>ModelMetrics</c>.
/// </summary>
public sealed class ModelMetrics
{
    private readonly IComponentMetrics[] _components;

    private ModelMetrics(ModelSource source, ImmutableArray<ComponentOutcome> outcomes)
    {
        Source = source;
        Outcomes = outcomes;
        Components = [.. outcomes.OfType<ComponentOutcome.Created>().Select(c => c.Metrics)];
        Skipped = [.. outcomes.OfType<ComponentOutcome.Skipped>().Where(s => s.Reason is not (SkipReason.UsesMla or SkipReason.NotMla))];
        _components = [.. Components];
        _windowed = _components.OfType<AttentionMetrics>().Any(a => a.SwaLayers > 0);
    }

    // Whether a step's requests must be recorded to clamp contexts to a sliding window.
    private readonly bool _windowed;

    /// <summary>The resolved config the metrics were built from.</summary>
    public ModelSource Source { get; }

    /// <summary>Every component's outcome, in registry order.</summary>
    public ImmutableArray<ComponentOutcome> Outcomes { get; }

    /// <summary>The components that apply, in registry order.</summary>
    public ImmutableArray<IComponentMetrics> Components { get; }

    /// <summary>
    /// The components that do not apply, with why (vLLM only logs these at debug level). The attention variant a model
    /// does not use (<c>uses_mla</c>, <c>not_mla</c> from revision 2026-09) is not listed here, only in <see cref="Outcomes"/>.
    /// </summary>
    public ImmutableArray<ComponentOutcome.Skipped> Skipped { get; }

    /// <summary>Whether any component applies (vLLM's <c>is_enabled</c>).</summary>
    public bool IsEnabled => _components.Length > 0;

    /// <summary>The vLLM revision whose accounting these metrics reproduce (the source's <see cref="EngineSettings.Vllm"/>).</summary>
    public VllmRevision Revision => Source.Revision;

    /// <summary>Builds every component of <paramref name="registry"/> (by default the registry of the source's vLLM
    /// revision, <see cref="ComponentRegistry.For"/>) from a resolved config.</summary>
    /// <exception cref="ModelConfigException">A parser met a config value vLLM would crash on.</exception>
    public static ModelMetrics Create(ModelSource source, ComponentRegistry? registry = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        registry ??= ComponentRegistry.For(source.Revision);
        return new ModelMetrics(source, [.. registry.Factories.Select(f => f.Create(source))]);
    }

    /// <summary>
    /// Loads a model from a config file or folder, a catalog name (<c>llama-3.1-70b</c>) or a Hugging Face id, as
    /// <see cref="ModelCatalog.Load"/>, resolves it with <paramref name="engine"/> and builds the metrics.
    /// </summary>
    /// <exception cref="ModelConfigException">The config cannot be found, read or used.</exception>
    /// <exception cref="EngineConfigException">vLLM would reject the settings.</exception>
    /// <exception cref="HubException">A hub id that is not cached and could not be downloaded.</exception>
    public static ModelMetrics Load(string pathOrName, EngineSettings? engine = null) =>
        Create(ModelSource.Resolve(ModelCatalog.Load(pathOrName), engine));

    /// <summary>FLOPs of the batch, per component and term (<c>attn.qkv_proj</c>, …).</summary>
    public Breakdown Flops(in Batch ctx, Scope scope = Scope.PerGpu) => Evaluate(Metric.Flops, ctx, scope);

    /// <summary>Bytes read from device memory for the batch, per component and term.</summary>
    public Breakdown ReadBytes(in Batch ctx, Scope scope = Scope.PerGpu) => Evaluate(Metric.ReadBytes, ctx, scope);

    /// <summary>Bytes written to device memory for the batch, per component and term.</summary>
    public Breakdown WriteBytes(in Batch ctx, Scope scope = Scope.PerGpu) => Evaluate(Metric.WriteBytes, ctx, scope);

    /// <summary>One metric of the batch, every component's terms in order.</summary>
    /// <exception cref="OverflowException">A count does not fit in 128 bits.</exception>
    [SkipLocalsInit]
    public Breakdown Evaluate(Metric metric, in Batch ctx, Scope scope = Scope.PerGpu)
    {
        var terms = TermBuffer.Create();
        WriteAll(metric, ctx, scope, ref terms);
        return terms.ToBreakdown();
    }

    /// <summary>The three totals of the batch without building breakdowns (no allocation).</summary>
    /// <exception cref="OverflowException">A count does not fit in 128 bits.</exception>
    [SkipLocalsInit]
    public StepTotals Totals(in Batch ctx, Scope scope = Scope.PerGpu) =>
        new(Total(Metric.Flops, ctx, scope), Total(Metric.ReadBytes, ctx, scope), Total(Metric.WriteBytes, ctx, scope));

    /// <summary>The total of one metric without building a breakdown.</summary>
    [SkipLocalsInit]
    public Int128 Total(Metric metric, in Batch ctx, Scope scope = Scope.PerGpu)
    {
        TermBuffer.TotalOnly(out var terms);
        WriteAll(metric, ctx, scope, ref terms);
        return terms.Total;
    }

    /// <summary>Appends every component's terms of one metric to <paramref name="terms"/> (allocation-free).</summary>
    /// <exception cref="OverflowException">A count does not fit in 128 bits.</exception>
    internal void Write(Metric metric, in Batch ctx, Scope scope, ref TermBuffer terms) => WriteAll(metric, ctx, scope, ref terms);

    // Implementation note: every formula runs in checked 64-bit arithmetic first; a value past 2^63 (a 10M-token
    // context, say) throws, and the whole metric is recomputed in 128 bits, so results are exact either way.
    private void WriteAll(Metric metric, in Batch ctx, Scope scope, ref TermBuffer terms)
    {
        // The caller's buffer may already hold terms: the 128-bit retry drops only what this call wrote.
        var startCount = terms.Count;
        var startTotal = terms.Total;
        try
        {
            // Implementation note: three component types share this call site, too many for the JIT's guarded
            // devirtualization; testing the sealed types first saves the interface-dispatch stub (a tenth of a step).
            foreach (var component in _components)
            {
                if (component is AttentionMetrics attention)
                {
                    attention.WriteInt64(metric, ctx, scope, ref terms);
                }
                else if (component is FfnMetrics ffn)
                {
                    ffn.WriteInt64(metric, ctx, scope, ref terms);
                }
                else if (component is UnembedMetrics unembed)
                {
                    unembed.WriteInt64(metric, ctx, scope, ref terms);
                }
                else
                {
                    component.WriteInt64(metric, ctx, scope, ref terms);
                }
            }
        }
        catch (OverflowException)
        {
            terms.Truncate(startCount, startTotal);
            foreach (var component in _components)
            {
                try
                {
                    component.WriteInt128(metric, ctx, scope, ref terms);
                }
                catch (OverflowException)
                {
                    throw new OverflowException(
                        $"{Source.Config.Source}: {component.Name} {metric} counts pass 2^127 for {ctx.TotalTokens} tokens; a config size ({string.Join(", ", component.Fields.Select(f => $"{f.Name} {f.Value}"))}) or the batch is too large");
                }
            }
        }
    }

    /// <summary>
    /// Per-GPU stats of one scheduler step, as vLLM's <c>get_step_perf_stats_per_gpu</c>: new requests are prefill
    /// with context = computed + scheduled tokens; cached requests are prefill when they schedule more than one token
    /// (chunked prefill), decode otherwise; requests with no scheduled tokens are skipped. With
    /// <paramref name="debug"/> (vLLM's <c>VLLM_DEBUG_MFU_METRICS</c>) the stats carry the breakdowns.
    /// </summary>
    [SkipLocalsInit]
    public PerfStats StepStats(SchedulerStep step, bool debug = false)
    {
        ArgumentNullException.ThrowIfNull(step);
        var started = debug ? Stopwatch.GetTimestamp() : 0;
        // Implementation note: the batch records its requests only when they are read (window clamps, or 2026-09's
        // debug "requests"), so a step of a model without sliding layers aggregates without allocating.
        var ctx = _windowed || (debug && Revision.Ordinal >= VllmRevision.V2026_09.Ordinal) ? step.ToBatchWithRequests() : step.ToContext();
        if (!debug)
        {
            var totals = Totals(ctx);
            return new PerfStats(totals.Flops, totals.ReadBytes, totals.WriteBytes, null);
        }

        var flops = Flops(ctx);
        var reads = ReadBytes(ctx);
        var writes = WriteBytes(ctx);
        var stats = new DebugPerfStats(
            Stopwatch.GetElapsedTime(started).TotalSeconds, ctx.PrefillRequests, ctx.DecodeRequests, ctx, flops, reads, writes);
        return new PerfStats(flops.Total, reads.Total, writes.Total, stats);
    }
}

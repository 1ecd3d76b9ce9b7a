using System.Collections.Immutable;
using System.Globalization;
using PerfNotebooks.Analysis;
using PerfNotebooks.Hardware;
using PerfNotebooks.Models;
using PerfNotebooks.Physical;
namespace PerfNotebooks.Measured;

/// <summary>Holds each kind of measurement against the physical book's expected times (<see cref="StepEstimates"/>).</summary>
public static class Comparisons
{
    /// <summary>Every iteration line of <paramref name="log"/> re-estimated with its own batch; decodes attend to
    /// <paramref name="decodeContextLength"/> tokens (null: the log's mean prefill length, as a prompt-length stand-in).</summary>
    public static LogComparison Log(ServerLog log, StepEstimates estimates, long? decodeContextLength = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(estimates);
        var skipped = ImmutableArray.CreateBuilder<SkippedInput>();
        skipped.AddRange(log.Skipped);
        var prefillRequests = log.Steps.Sum(s => s.PrefillRequests);
        var context = decodeContextLength ?? (prefillRequests > 0 ? Math.Max(1, log.Steps.Sum(s => s.PrefillTokens) / prefillRequests) : 1);
        var steps = ImmutableArray.CreateBuilder<StepComparison>();
        foreach (var step in log.Steps)
        {
            if (step.IsDummy || step.PrefillTokens + step.DecodeTokens == 0)
            {
                skipped.Add(new SkippedInput(log.Source, step.Line, "a data-parallel dummy step (no requests on this rank)"));
                continue;
            }

            steps.Add(new StepComparison(step, estimates.Estimate(step.ToBatch(context))));
        }

        var gpu = estimates.Model.Gpu;
        var peak = gpu.Peak(Roofline.DefaultDtype(estimates.Model.Model.Source, gpu));
        var mfu = ImmutableArray.CreateBuilder<MfuComparison>();
        var compared = steps.ToImmutable();
        foreach (var line in log.Mfu)
        {
            var previous = log.Mfu.Where(m => m.Engine == line.Engine && m.Line < line.Line).Select(m => m.Line).DefaultIfEmpty(0).Max();
            var window = compared.Where(s => s.Step.Engine == line.Engine && s.Step.Line > previous && s.Step.Line < line.Line).ToList();
            var seconds = window.Sum(s => s.MeasuredSeconds);
            mfu.Add(new MfuComparison(line, line.TeraflopsPerSecondPerGpu * 1e12 / peak, line.GigabytesPerSecondPerGpu * 1e9 / gpu.MemoryBytesPerSecond, window.Count,
                seconds > 0 ? window.Sum(s => s.Expected.Flops) / seconds / 1e12 : null,
                seconds > 0 ? window.Sum(s => s.Expected.Bytes) / seconds / 1e9 : null));
        }

        return new LogComparison(log, compared, mfu.ToImmutable(), context, decodeContextLength is not null, skipped.ToImmutable());
    }

    /// <summary>A trace's steps beside the expected time of <paramref name="batch"/>, what each traced step ran
    /// (<paramref name="batchGiven"/>: the user said so, rather than a default step standing in).</summary>
    public static TraceComparison Trace(ProfilerTrace trace, StepEstimates estimates, Batch batch, bool batchGiven)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(estimates);
        return new TraceComparison(trace, batch, batchGiven, estimates.Estimate(batch));
    }

    /// <summary>A benchmark result beside its replay through the serving simulator with the same client settings.</summary>
    public static BenchmarkComparison Benchmark(BenchmarkResult result, ModelSource source, GpuSpec gpu, IKernelTimer? timer = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var (replay, notes) = BenchReplay.Run(result, source, gpu, timer);
        return new BenchmarkComparison(result, replay, BenchReplay.Figures(replay.Expected), BenchReplay.Figures(replay.Bound), notes);
    }

    /// <summary>A scrape window's mean step beside its expected time, per series; decodes attend to
    /// <paramref name="decodeContextLength"/> tokens (null: the mean prompt length the counters imply).</summary>
    public static ScrapeComparison Scrape(MetricsWindow window, StepEstimates estimates, long? decodeContextLength = null)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(estimates);
        var notes = ImmutableArray.CreateBuilder<string>();
        var series = ImmutableArray.CreateBuilder<(string, Batch, CategoryEstimate)>();
        foreach (var s in window.Series)
        {
            var steps = window.Get("count_tokens_per_step", s);
            var prompt = window.Get("prompt_tokens_per_s", s) ?? window.Get("prompt_tokens_total", s);
            var generation = window.Get("generation_tokens_per_s", s) ?? window.Get("generation_tokens_total", s);
            if (window.IntervalSeconds is { } interval && steps is { } n)
            {
                steps = n / interval;
            }

            if (steps is not { } stepCount || stepCount <= 0 || prompt is null || generation is null)
            {
                continue;
            }

            var requests = window.Get("count_e2el_ms", s);
            var promptTokens = window.Get("mean_tokens_per_step", s) is { } perStep ? Math.Max(0, perStep - (generation.Value / stepCount)) : prompt.Value / stepCount;
            var decodes = (long)Math.Round(generation.Value / stepCount);
            var prefill = (long)Math.Round(promptTokens);
            // The mean prompt length: vLLM's request_prompt_tokens histogram, else prompt tokens per finished request.
            var meanPrompt = window.Get("mean_prompt_tokens", s) ?? (requests is { } done && done > 0 ? (window.Get("prompt_tokens_total", s) ?? (prompt.Value * (window.IntervalSeconds ?? 1))) / done : null);
            var context = decodeContextLength ?? Math.Max(1, (long)Math.Round(meanPrompt ?? 1));
            var batch = Batch.Empty;
            if (prefill > 0)
            {
                batch = batch.WithPrefill(prefill);
            }

            if (decodes > 0)
            {
                batch = batch.WithDecodes(decodes, context);
            }

            if (batch.TotalTokens == 0)
            {
                continue;
            }

            series.Add((s, batch, estimates.Estimate(batch)));
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"{s}: mean step {prefill} prefill tokens + {decodes} decodes (generation tokens ÷ steps), decode context {context}{(decodeContextLength is null ? " (assumed; set --decode-context)" : string.Empty)}{(requests is { } r ? $", {r:0} requests finished" : string.Empty)}"));
        }

        if (series.Count == 0)
        {
            notes.Add("no series has vllm:iteration_tokens_total and the token counters together: no mean step to estimate");
        }

        return new ScrapeComparison(window, series.ToImmutable(), notes.ToImmutable());
    }
}

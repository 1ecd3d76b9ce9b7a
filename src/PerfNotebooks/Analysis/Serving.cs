using PerfNotebooks.Execution;
using PerfNotebooks.Serving;

namespace PerfNotebooks.Analysis;

/// <summary>Serving estimates from roofline step times: latency, tokens per second, MFU and MBU.</summary>
public static class Serving
{
    /// <summary>Model FLOPs utilisation: FLOPs per GPU ÷ seconds ÷ peak FLOP/s (datasheet peak).</summary>
    public static double Mfu(Int128 flopsPerGpu, double seconds, GpuSpec gpu, ComputeDtype dtype)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        _ = seconds > 0 ? seconds : throw new InvalidValueException(nameof(seconds), seconds, "must be greater than 0");
        return (double)flopsPerGpu / seconds / gpu.Peak(dtype);
    }

    /// <summary>Model bandwidth utilisation: bytes per GPU ÷ seconds ÷ peak memory bandwidth.</summary>
    public static double Mbu(Int128 bytesPerGpu, double seconds, GpuSpec gpu)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        _ = seconds > 0 ? seconds : throw new InvalidValueException(nameof(seconds), seconds, "must be greater than 0");
        return (double)bytesPerGpu / seconds / gpu.MemoryBytesPerSecond;
    }

    /// <summary>Seconds for one step at roofline speed (operations in sequence plus TP communication).</summary>
    public static double StepSeconds(ModelMetrics metrics, in Batch ctx, GpuSpec gpu, ComputeDtype? dtype = null, bool applyEfficiency = false) =>
        Roofline.Analyze(metrics, ctx, gpu, dtype, applyEfficiency).StepSeconds;

    /// <summary>
    /// A scenario of <paramref name="concurrency"/> requests of <paramref name="promptTokens"/> prompt tokens each
    /// generating <paramref name="outputTokens"/> tokens, handed to the engine together (a static batch, every prompt
    /// prefilled in one step) and simulated by <see cref="ServeSimulator"/>: the mean time to first token, the mean
    /// time per output token, the first and last decode step. Expected times (kernel timer plus engine overhead), with
    /// the roofline bound in <see cref="ScenarioEstimate.Bound"/>. For request rates, concurrency limits and clients
    /// use <see cref="ServeSimulator.Run"/>.
    /// </summary>
    /// <param name="metrics">The model.</param>
    /// <param name="gpu">The GPU.</param>
    /// <param name="promptTokens">Prompt tokens per request.</param>
    /// <param name="outputTokens">Generated tokens per request.</param>
    /// <param name="concurrency">Requests per DP replica.</param>
    /// <param name="dtype">Unused by the physical book (kernel dtypes follow the weight format); kept for callers.</param>
    /// <param name="applyEfficiency">Unused by the physical book; kept for callers.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is not positive.</exception>
    /// <exception cref="InvalidOperationException">The weights or one request's KV cache do not fit.</exception>
    public static ScenarioEstimate Scenario(
        ModelMetrics metrics, GpuSpec gpu, long promptTokens, long outputTokens, long concurrency,
        ComputeDtype? dtype = null, bool applyEfficiency = false)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        Guard.Positive(promptTokens);
        Guard.Positive(outputTokens);
        Guard.Positive(concurrency);
        _ = (dtype, applyEfficiency);
        var dp = metrics.Source.Engine.DataParallel;
        var benchmark = ServeBenchmark.StaticBatch(metrics.Source, gpu, checked(concurrency * dp), promptTokens, outputTokens) with
        {
            Server = new ServerSettings { MaxNumBatchedTokens = ServerSettings.Unchunked, MaxNumSeqs = concurrency },
        };
        var result = ServeSimulator.Run(benchmark);
        if (result is not { Expected: { } e, Bound: { } b })
        {
            throw new InvalidOperationException(string.Join("; ", result.Notes));
        }

        var steps = new Physical.StepModel(Physical.PhysicalModel.From(metrics.Source), gpu);
        var first = outputTokens > 1 ? steps.Estimate(Batch.Decodes(concurrency, promptTokens + 1)) : default;
        var last = outputTokens > 1 ? steps.Estimate(Batch.Decodes(concurrency, promptTokens + outputTokens - 1)) : default;
        var gpus = (double)metrics.Source.Engine.TensorParallel * metrics.Source.Engine.PipelineParallel;
        ScenarioEstimate Make(BenchmarkMetrics m, double firstStep, double lastStep)
        {
            var tpot = m.Tpot.MeanSeconds;
            var perReplica = tpot > 0 ? concurrency / tpot : 0;
            return new ScenarioEstimate(promptTokens, outputTokens, concurrency, m.Ttft.MeanSeconds, tpot, firstStep, lastStep, perReplica, perReplica / gpus, m.E2el.MeanSeconds);
        }

        return Make(e, first.ExpectedSeconds, last.ExpectedSeconds) with { Bound = Make(b, first.BoundSeconds, last.BoundSeconds) };
    }
}

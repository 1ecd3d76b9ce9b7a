using PerfNotebooks.Execution;

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
    /// generating <paramref name="outputTokens"/> tokens: the prefill of all prompts together gives the time to first
    /// token; each decode step k (context prompt + k) is evaluated, and their mean is the time per output token.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is not positive.</exception>
    public static ScenarioEstimate Scenario(
        ModelMetrics metrics, GpuSpec gpu, long promptTokens, long outputTokens, long concurrency,
        ComputeDtype? dtype = null, bool applyEfficiency = false)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        Guard.Positive(promptTokens);
        Guard.Positive(outputTokens);
        Guard.Positive(concurrency);
        var ttft = StepSeconds(metrics, Batch.Empty.AddMany(concurrency, promptTokens, promptTokens, true), gpu, dtype, applyEfficiency);
        double first = 0, last = 0, sum = 0;
        var steps = outputTokens - 1;
        for (long k = 1; k <= steps; k++)
        {
            var seconds = StepSeconds(metrics, Batch.Empty.AddMany(concurrency, 1, promptTokens + k, false), gpu, dtype, applyEfficiency);
            first = k == 1 ? seconds : first;
            last = seconds;
            sum += seconds;
        }

        var tpot = steps > 0 ? sum / steps : 0;
        var engine = metrics.Source.Engine;
        var perReplica = tpot > 0 ? concurrency / tpot : 0;
        return new ScenarioEstimate(
            promptTokens, outputTokens, concurrency, ttft, tpot, first, last, perReplica,
            perReplica / (engine.TensorParallel * engine.PipelineParallel), ttft + (steps * tpot));
    }
}

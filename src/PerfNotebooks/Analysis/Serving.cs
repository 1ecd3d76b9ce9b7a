using PerfNotebooks.Hardware;
using PerfNotebooks.Vllm;

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
    /// generating <paramref name="outputTokens"/> tokens, from the physical book: the prefill of all prompts together
    /// gives the time to first token; each decode step k (context prompt + k) passes through every pipeline stage and
    /// transfer, and their mean is the time per output token. Expected times (kernel timer plus engine overhead), with
    /// the roofline bound in <see cref="ScenarioEstimate.Bound"/>. For chunked prefill and closed loops use
    /// <see cref="ServingSimulator.Run"/>.
    /// </summary>
    /// <param name="metrics">The model.</param>
    /// <param name="gpu">The GPU.</param>
    /// <param name="promptTokens">Prompt tokens per request.</param>
    /// <param name="outputTokens">Generated tokens per request.</param>
    /// <param name="concurrency">Requests per DP replica.</param>
    /// <param name="dtype">Unused by the physical book (kernel dtypes follow the weight format); kept for callers.</param>
    /// <param name="applyEfficiency">Unused by the physical book; kept for callers.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is not positive.</exception>
    public static ScenarioEstimate Scenario(
        ModelMetrics metrics, GpuSpec gpu, long promptTokens, long outputTokens, long concurrency,
        ComputeDtype? dtype = null, bool applyEfficiency = false)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        Guard.Positive(promptTokens);
        Guard.Positive(outputTokens);
        Guard.Positive(concurrency);
        _ = (dtype, applyEfficiency);
        var steps = new Physical.StepModel(Physical.PhysicalModel.From(metrics.Source), gpu);
        var prefill = steps.Estimate(Batch.Empty.AddMany(concurrency, promptTokens, promptTokens, true));
        double first = 0, last = 0, sum = 0, boundFirst = 0, boundLast = 0, boundSum = 0;
        var decodes = outputTokens - 1;
        for (long k = 1; k <= decodes; k++)
        {
            var step = steps.Estimate(Batch.Decodes(concurrency, promptTokens + k));
            first = k == 1 ? step.ExpectedSeconds : first;
            boundFirst = k == 1 ? step.BoundSeconds : boundFirst;
            last = step.ExpectedSeconds;
            boundLast = step.BoundSeconds;
            sum += step.ExpectedSeconds;
            boundSum += step.BoundSeconds;
        }

        var gpus = (double)metrics.Source.Engine.TensorParallel * metrics.Source.Engine.PipelineParallel;
        ScenarioEstimate Make(double ttft, double total, double firstStep, double lastStep)
        {
            var tpot = decodes > 0 ? total / decodes : 0;
            var perReplica = tpot > 0 ? concurrency / tpot : 0;
            return new ScenarioEstimate(promptTokens, outputTokens, concurrency, ttft, tpot, firstStep, lastStep, perReplica, perReplica / gpus, ttft + total);
        }

        return Make(prefill.ExpectedSeconds, sum, first, last) with { Bound = Make(prefill.BoundSeconds, boundSum, boundFirst, boundLast) };
    }
}

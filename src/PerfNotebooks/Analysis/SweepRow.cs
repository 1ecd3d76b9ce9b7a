namespace PerfNotebooks.Analysis;

/// <summary>One point of a sweep: its inputs, totals per GPU, roofline time, throughput, MFU and memory fit.</summary>
/// <param name="Config">The engine configuration.</param>
/// <param name="Batch">The batch shape.</param>
/// <param name="Estimate">Totals and time per GPU (default when the configuration is invalid).</param>
public readonly record struct SweepRow(SweepConfig Config, BatchShape Batch, StepEstimate Estimate)
{
    /// <summary>Why the point is invalid, or null: an invalid configuration, or a batch whose KV cache does not fit.</summary>
    public string? Error => Config.Error ?? (Fits ? null : FitError(Batch.KvTokens, Config.Memory?.TokensThatFit ?? 0));

    internal static string FitError(long need, long have) =>
        (have == 0 ? "does not fit: weights fill the memory; " : "KV cache does not fit: ") +
        FormattableString.Invariant($"the batch holds {need} KV tokens; the GPUs hold {have}");

    /// <summary>Whether the weights fit and the batch's KV cache fits.</summary>
    public bool Fits => Config.MemoryFits && Batch.KvTokens <= Config.TokensThatFit;

    /// <summary>GPUs one replica uses (TP × PP × DP).</summary>
    public long Gpus => Config.Engine.Gpus;

    /// <summary>FLOPs per byte.</summary>
    public double ArithmeticIntensity => Estimate.ArithmeticIntensity;

    /// <summary>Compute-, memory- or communication-bound.</summary>
    public Bound Bound
    {
        get
        {
            if (Config.Estimator is not { } estimator)
            {
                return Bound.Memory;
            }

            if (Estimate.CommunicationSeconds > Estimate.ComputeSeconds)
            {
                return Bound.Communication;
            }

            return ArithmeticIntensity >= estimator.Gpu.Ridge(estimator.Dtype) ? Bound.Compute : Bound.Memory;
        }
    }

    /// <summary>Step time, seconds.</summary>
    public double Seconds => Estimate.Seconds;

    /// <summary>Tokens processed per second by one replica (prefill and decode).</summary>
    public double TokensPerSecond => Seconds > 0 ? Batch.Tokens / Seconds : 0;

    /// <summary>Decode tokens per second per GPU (a replica's output ÷ its TP × PP GPUs).</summary>
    public double OutputTokensPerSecondPerGpu =>
        Seconds > 0 ? Batch.DecodeBatch / Seconds / (Config.Engine.TensorParallel * Config.Engine.PipelineParallel) : 0;

    /// <summary>Model FLOPs utilisation at the estimated step time.</summary>
    public double Mfu => Config.Estimator is { } e && Seconds > 0 ? (double)Estimate.Flops / Seconds / e.Gpu.Peak(e.Dtype) : 0;

    /// <summary>Time per output token for decode batches (the step time), seconds.</summary>
    public double TimePerOutputTokenSeconds => Batch.DecodeBatch > 0 ? Seconds : 0;

    /// <summary>One line: the point, its step time and output tokens/s per GPU, or why it is invalid or does not fit.</summary>
    public override string ToString()
    {
        var e = Config.Engine;
        var point = $"{Config.Model} on {Config.Gpu} {e.Layout}, {Batch}";
        return Config.Error is { } error
            ? $"{point}: invalid: {error}"
            : $"{point}: step {Units.Seconds(Seconds)}, {Units.Si(OutputTokensPerSecondPerGpu, "tok/s")} output per GPU, MFU {Units.Significant(Mfu * 100)} %" +
              (Fits ? string.Empty : "; " + Error);
    }
}

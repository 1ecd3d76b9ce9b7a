namespace PerfNotebooks.Physical;

/// <summary>
/// Time a serving engine spends per step beyond the GPU kernels: scheduling, input preparation, CUDA-graph launch and
/// output processing, which vLLM V1 runs between steps on the CPU.
/// </summary>
/// <param name="StepSeconds">Fixed cost of one step, seconds.</param>
/// <param name="PerRequestSeconds">Cost per scheduled request in the step (scheduler and output update loops), seconds.</param>
/// <remarks>Kernel launches are not charged separately: vLLM V1 replays CUDA graphs (piecewise, around attention) for
/// steps up to its largest captured size, and larger steps are GPU-bound, so their launches hide behind the kernels.</remarks>
public sealed record EngineOverhead(double StepSeconds, double PerRequestSeconds)
{
    /// <summary>
    /// vLLM V1 figures. Step: 0.25 ms — the decode fast path of vllm-project/vllm PR #17866 saves ~10 % of a 2.73 ms
    /// TPOT (Llama-3.2-1B) in <c>prepare_inputs</c> alone, so the whole between-step CPU work is at least that. Per
    /// request: 1.1 µs — <c>Scheduler.update_from_output</c> takes 0.142 ms at batch 128 and 0.287 ms at batch 256
    /// (vllm-project/vllm PR #46112).
    /// </summary>
    public static EngineOverhead Vllm { get; } = new(0.25e-3, 1.1e-6);

    /// <summary>No overhead: kernels only.</summary>
    public static EngineOverhead None { get; } = new(0, 0);

    /// <summary>Overhead of a step of <paramref name="requests"/> scheduled requests, seconds.</summary>
    public double Seconds(long requests) => requests <= 0 ? 0 : StepSeconds + (PerRequestSeconds * requests);
}

using System.Globalization;
using PerfNotebooks.Analysis;
using PerfNotebooks.Hardware;
using PerfNotebooks.Physical;
namespace PerfNotebooks.Serving;

/// <summary>The memory check every candidate passes before it is simulated: weights, activations and at least one
/// request's KV cache per GPU, from the physical memory planner.</summary>
internal static class PlannerMemory
{
    /// <summary>
    /// Activation bytes per GPU that vLLM's profile run reserves before sizing the KV cache: a dummy forward pass of
    /// <c>max_num_batched_tokens</c> tokens (vllm/v1/worker/gpu_model_runner.py, <c>profile_run</c> → <c>_dummy_run</c>)
    /// whose peak holds, per token, the residual stream, the normed input and the attention output (3 × hidden), the
    /// QKV projection and the gate/up output of the widest FFN on this rank (2 × intermediate ÷ TP), at the activation
    /// dtype, plus the sampler's fp32 logits for <c>max_num_seqs</c> rows (<c>_dummy_sampler_run</c>).
    /// </summary>
    public static double ActivationBytes(PhysicalModel model, GpuSpec gpu)
    {
        var (tokens, seqs) = ServerSettings.VllmDefaults(gpu);
        var tp = (double)model.TensorParallel;
        var ffn = Math.Max(model.DenseIntermediateSize, model.ExpertIntermediateSize * Math.Max(1, model.TopK));
        var qkv = (model.Heads + (2.0 * model.KvHeads)) * model.HeadDim;
        var perToken = ((3.0 * model.HiddenSize) + ((qkv + (2.0 * ffn)) / tp)) * model.ActivationBytes;
        return (tokens * perToken) + (seqs * (model.VocabSize / tp) * sizeof(float));
    }

    /// <summary>Why the replica cannot serve one request of <paramref name="contextTokens"/>, or null when it can.</summary>
    public static string? Misfit(PhysicalModel model, GpuSpec gpu, double utilization, long contextTokens)
    {
        var plan = MemoryPlanner.Plan(model, gpu, utilization, contextTokens, ActivationBytes(model, gpu));
        if (!plan.Fits)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"weights {Units.Bytes((double)plan.WeightBytes)} + activations {Units.Bytes(plan.ReserveBytes)} per GPU exceed the usable {Units.Bytes(plan.UsableBytes)}");
        }

        return plan.SequencesThatFit >= 1
            ? null
            : string.Create(CultureInfo.InvariantCulture,
                $"{Units.Bytes(plan.KvCacheBytes)} left per GPU for the KV cache holds no request of {contextTokens} tokens");
    }
}

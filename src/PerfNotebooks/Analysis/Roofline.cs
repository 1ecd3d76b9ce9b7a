using System.Collections.Immutable;
using PerfNotebooks.Components;
using PerfNotebooks.Configuration;
using PerfNotebooks.Execution;

namespace PerfNotebooks.Analysis;

/// <summary>
/// Roofline analysis of a step: arithmetic intensity, bound, attainable FLOP/s and time = max(FLOPs ÷ peak, bytes ÷
/// bandwidth), per term, operation, component and step, plus the tensor-parallel all-reduces as their own line.
/// </summary>
public static class Roofline
{
    /// <summary>
    /// The compute dtype the engine settings imply: fp8 checkpoints (<c>fp8</c>, <c>fbgemm_fp8</c>) run W8A8 on fp8
    /// tensor cores where the GPU has them; otherwise the model dtype (bf16, fp16; fp32 models on fp32). mxfp4 and
    /// other weight-only formats compute in the model dtype.
    /// </summary>
    public static ComputeDtype DefaultDtype(ModelSource source, GpuSpec gpu)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(gpu);
        if (source.QuantMethod is "fp8" or "fbgemm_fp8" && gpu.Supports(ComputeDtype.Fp8))
        {
            return ComputeDtype.Fp8;
        }

        return source.Dtype switch
        {
            ModelDtype.Float16 => ComputeDtype.Fp16,
            ModelDtype.Float32 => ComputeDtype.Fp32,
            _ => ComputeDtype.Bf16,
        };
    }

    /// <summary>Attainable FLOP/s at <paramref name="intensity"/> FLOPs per byte: min(peak, intensity × bandwidth).</summary>
    public static double Attainable(GpuSpec gpu, ComputeDtype dtype, double intensity, bool applyEfficiency = false)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        return Math.Min(gpu.Peak(dtype, applyEfficiency), intensity * gpu.Bandwidth(applyEfficiency));
    }

    /// <summary>A roofline row for some work.</summary>
    public static RooflineRow Row(string name, Int128 flops, Int128 bytes, GpuSpec gpu, ComputeDtype dtype, bool applyEfficiency = false)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        var peak = gpu.Peak(dtype, applyEfficiency);
        var bandwidth = gpu.Bandwidth(applyEfficiency);
        var f = (double)flops;
        var b = (double)bytes;
        var intensity = b == 0 ? (f == 0 ? 0 : double.PositiveInfinity) : f / b;
        var bound = intensity >= peak / bandwidth ? Bound.Compute : Bound.Memory;
        return new RooflineRow(name, flops, bytes, intensity, bound, Math.Min(peak, intensity * bandwidth), f / peak, b / bandwidth);
    }

    /// <summary>The roofline of a step on <paramref name="gpu"/>, per GPU; the physical book's expected time from
    /// <paramref name="timer"/> (null: the shipped timer for the GPU).</summary>
    /// <exception cref="ArgumentException">The GPU has no peak for the compute dtype.</exception>
    public static RooflineReport Analyze(ModelMetrics metrics, in Batch ctx, GpuSpec gpu, ComputeDtype? dtype = null, bool applyEfficiency = false, Physical.IKernelTimer? timer = null)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(gpu);
        var compute = dtype ?? DefaultDtype(metrics.Source, gpu);
        var flops = metrics.Flops(ctx);
        var reads = metrics.ReadBytes(ctx);
        var writes = metrics.WriteBytes(ctx);

        var terms = ImmutableArray.CreateBuilder<RooflineRow>();
        terms.AddRange(flops.Select(t => Row(t.Qualified, t.Value, 0, gpu, compute, applyEfficiency)));
        terms.AddRange(reads.Concat(writes).Select(t => Row(t.Qualified, 0, t.Value, gpu, compute, applyEfficiency)));

        var operations = new List<(string Name, Int128 Flops, Int128 Bytes)>();
        void Accumulate(Term term, bool isFlops)
        {
            var name = OperationOf(term);
            var index = operations.FindIndex(o => o.Name == name);
            if (index < 0)
            {
                operations.Add((name, 0, 0));
                index = operations.Count - 1;
            }

            var (n, f, b) = operations[index];
            operations[index] = isFlops ? (n, checked(f + term.Value), b) : (n, f, checked(b + term.Value));
        }

        foreach (var term in flops)
        {
            Accumulate(term, true);
        }

        foreach (var term in reads.Concat(writes))
        {
            Accumulate(term, false);
        }

        var components = metrics.Components.Select(c => Row(
            c.Name, flops.ForComponent(c.Name).Total,
            checked(reads.ForComponent(c.Name).Total + writes.ForComponent(c.Name).Total), gpu, compute, applyEfficiency));

        var report = new RooflineReport(
            gpu, compute, applyEfficiency, terms.ToImmutable(),
            [.. operations.OrderBy(o => KernelOrder(o.Name)).Select(o => Row(o.Name, o.Flops, o.Bytes, gpu, compute, applyEfficiency))],
            [.. components],
            Row("step", flops.Total, checked(reads.Total + writes.Total), gpu, compute, applyEfficiency),
            Communication(metrics, ctx, gpu));
        try
        {
            var physical = new Physical.StepModel(Physical.PhysicalModel.From(metrics.Source), gpu, timer);
            var skipped = metrics.Skipped.Select(s => $"vLLM book skips {s.Name}: {s.Detail}");
            return report with
            {
                Physical = physical.Estimate(ctx),
                PhysicalOperations = physical.Operations(ctx),
                Warnings = [.. physical.Model.Warnings, .. skipped],
            };
        }
        catch (ModelConfigException e)
        {
            return report with { Warnings = ["physical estimate unavailable: " + e.Message] };
        }
        catch (OverflowException)
        {
            return report with { Warnings = [$"physical estimate unavailable: {metrics.Source.Config.Source}: a size in the config makes a per-GPU count pass 2^63"] };
        }
    }

    // Implementation note: kernels are listed in execution order whatever the order of a revision's terms (vLLM
    // 2026-09 lists out_proj before attn_qk); terms of no known kernel keep their order, last.
    private static int KernelOrder(string operation) => Operations.Names.IndexOf(operation) is >= 0 and var i ? i : int.MaxValue;

    /// <summary>
    /// Tensor-parallel communication per GPU for a step: after attention and after the FFN in every layer of the
    /// stage, an all-reduce of the activations (tokens × hidden × 2 bytes) over the TP ranks, ring algorithm: each
    /// GPU sends 2(n−1)/n of the buffer, at half the datasheet's bidirectional link bandwidth. Null when TP is 1.
    /// </summary>
    /// <remarks>Not in vLLM's perf model; a separate line so it is never folded into compute. Expert-parallel
    /// all-to-all and pipeline sends are not modelled.</remarks>
    public static RooflineRow? Communication(ModelMetrics metrics, in Batch ctx, GpuSpec gpu)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(gpu);
        var engine = metrics.Source.Engine;
        var ranks = engine.TensorParallel;
        if (ranks <= 1)
        {
            return null;
        }

        var layers = metrics.Source.Config.TextNumber("num_hidden_layers").AsNullable ?? 0;
        var hidden = metrics.Source.Config.TextNumber("hidden_size").AsNullable ?? 0;
        var layersPerStage = layers / engine.PipelineParallel;
        Int128 buffer = checked((Int128)ctx.TotalTokens * hidden * 2);
        Int128 allReduces = checked(2 * (Int128)layersPerStage);
        var sentPerGpu = checked(allReduces * buffer * 2 * (ranks - 1) / ranks);
        var seconds = (double)sentPerGpu / (gpu.InterconnectBytesPerSecond / 2);
        return new RooflineRow("tp.all_reduce", 0, sentPerGpu, 0, Bound.Communication, 0, 0, seconds);
    }

    /// <summary>The kernel a term belongs to: QKV projection, attention core, output projection, dense, routed or shared FFN, unembedding.</summary>
    public static string OperationOf(Term term) => term.Key.Operation == Operations.Count - 1 ? term.Qualified : Operations.Names[term.Key.Operation];
}

using PerfNotebooks.Hardware;

namespace PerfNotebooks.Physical.Kernels;

/// <summary>
/// Kernel times interpolated in one GPU's measured vLLM kernel tables (<see cref="KernelTables"/>), falling back to the
/// fitted curves (<see cref="FittedKernelTimer"/>) for shapes outside the measured range.
/// </summary>
/// <remarks>
/// <para>Interpolation: each table is a set of measured keys (GEMM: dtype, n, k; attention: KV dtype, heads, KV heads,
/// head size, window, batch; MoE: dtype, hidden, intermediate, top-k, experts, TP, EP; all-reduce: GPUs), each with a
/// grid along one axis (GEMM m, prefill tokens, decode context = step + 1, MoE tokens, all-reduce bytes). Along the axis
/// the time is linear in log–log between the two bracketing measured points. A key that was not measured uses the
/// nearest measured key (smallest sum of |log ratio| over its sizes; dtype and window must match) and is rescaled by the
/// fitted curve's ratio: t(query) = t_measured(nearest) · fit(query) / fit(nearest), i.e. per-FLOP and per-byte scaling
/// with the fitted weights.</para>
/// <para>Source: <see cref="KernelTimeSource.Measured"/> when the axis value lies within the key's measured grid and each
/// size lies within the range measured for it. Otherwise the time follows the fitted curve, anchored at the nearest
/// measured point (t_measured(end) · fit(query) / fit(end)), and says <see cref="KernelTimeSource.Fitted"/>; where no
/// key of that dtype or window was measured, the fitted curve alone.
/// Prefill with cached history (chunked prefill; the tables measure history 0) is the measured time for the new
/// tokens scaled by the fitted ratio with and without the history. All-reduce uses the faster of vLLM's custom
/// all-reduce under CUDA graphs and NCCL; one GPU costs nothing. Elementwise kernels are not in the tables: always fitted.</para>
/// </remarks>
public sealed class MeasuredKernelTimer : IKernelTimer
{
    private readonly KernelTables _tables;
    private readonly FittedKernelTimer _fitted;

    /// <summary>A timer over <paramref name="tables"/>, with <paramref name="fitted"/> outside them.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public MeasuredKernelTimer(KernelTables tables, FittedKernelTimer fitted)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(fitted);
        _tables = tables;
        _fitted = fitted;
    }

    /// <summary>Loads <paramref name="gpu"/>'s tables from an AIConfigurator <paramref name="systemsFolder"/> (catalog GPUs
    /// H100-SXM, H200, A100-80GB, B200 and L40S have them) with the shipped fitted curves beside them.</summary>
    /// <exception cref="Models.ModelConfigException">A table or column is missing; names the file and column.</exception>
    /// <exception cref="ArgumentException">The GPU has no measured architecture.</exception>
    public static MeasuredKernelTimer Load(string systemsFolder, GpuSpec gpu)
    {
        var fitted = new FittedKernelTimer(gpu);
        return new(KernelTables.Load(systemsFolder, fitted.AicGpu), fitted);
    }

    /// <inheritdoc />
    public string Gpu => _fitted.Gpu;

    /// <inheritdoc />
    public KernelTimeSource Kind => KernelTimeSource.Measured;

    /// <summary>The tables this timer interpolates in.</summary>
    public KernelTables Tables => _tables;

    /// <summary>The fitted curves used outside the tables.</summary>
    public FittedKernelTimer Fitted => _fitted;

    /// <inheritdoc />
    public KernelTime Gemm(long m, long n, long k, KernelDtype dtype)
    {
        return !Hit(_tables.GemmGrid, new((long)dtype, n, k), m, out var hit) ? _fitted.Gemm(m, n, k, dtype)
            : hit.Exact ? hit.Time
            : Scaled(hit, _fitted.Gemm(m, n, k, dtype).Seconds, _fitted.Gemm(hit.Axis, hit.Near.B, hit.Near.C, dtype).Seconds);
    }

    /// <inheritdoc />
    public KernelTime PrefillAttention(long batch, long tokens, long contextLength, AttentionShape shape)
    {
        var fit = _fitted.PrefillAttention(batch, tokens, contextLength, shape);
        var noHistory = contextLength <= tokens ? fit.Seconds : _fitted.PrefillAttention(batch, tokens, tokens, shape).Seconds;
        if (!Hit(_tables.PrefillGrid, AttentionKey(shape, batch, Math.Max(tokens, contextLength)), tokens, out var hit))
        {
            return fit;
        }

        var t = hit.Exact ? hit.Time
            : Scaled(hit, noHistory, _fitted.PrefillAttention(hit.Near.F, hit.Axis, hit.Axis, KernelTables.AttentionOf(hit.Near) with { Dtype = shape.Dtype }).Seconds);
        return contextLength <= tokens ? t : t with { Seconds = t.Seconds * fit.Seconds / noHistory };
    }

    /// <inheritdoc />
    public KernelTime DecodeAttention(long batch, long contextLength, AttentionShape shape)
    {
        return !Hit(_tables.DecodeGrid, AttentionKey(shape, batch, contextLength), contextLength, out var hit) ? _fitted.DecodeAttention(batch, contextLength, shape)
            : hit.Exact ? hit.Time
            : Scaled(hit, _fitted.DecodeAttention(batch, contextLength, shape).Seconds, _fitted.DecodeAttention(hit.Near.F, hit.Axis, KernelTables.AttentionOf(hit.Near) with { Dtype = shape.Dtype }).Seconds);
    }

    /// <inheritdoc />
    public KernelTime Moe(long tokens, MoeShape shape)
    {
        var key = new GridKey((long)shape.Dtype, shape.HiddenSize, shape.IntermediateSize, shape.TopK, shape.Experts, shape.TensorParallel, shape.ExpertParallel);
        return !Hit(_tables.MoeGrid, key, tokens, out var hit) ? _fitted.Moe(tokens, shape)
            : hit.Exact ? hit.Time
            : Scaled(hit, _fitted.Moe(tokens, shape).Seconds, _fitted.Moe(hit.Axis, KernelTables.MoeOf(hit.Near)).Seconds);
    }

    /// <inheritdoc />
    public KernelTime AllReduce(long bytes, int gpus)
    {
        if (gpus == 1 || bytes == 0)
        {
            Guard.NonNegative(bytes);
            Guard.Positive(gpus);
            return new(0, KernelTimeSource.Measured);
        }

        return !Hit(_tables.AllReduceGrid, new(gpus), bytes, out var hit) ? _fitted.AllReduce(bytes, gpus)
            : hit.Exact ? hit.Time
            : Scaled(hit, _fitted.AllReduce(bytes, gpus).Seconds, _fitted.AllReduce(hit.Axis, (int)hit.Near.A).Seconds);
    }

    /// <inheritdoc />
    public KernelTime Elementwise(long bytes) => _fitted.Elementwise(bytes);

    private static GridKey AttentionKey(AttentionShape shape, long batch, long contextLength) =>
        new((long)shape.KvDtype, shape.Heads, shape.KvHeads, shape.HeadDim, shape.Window >= contextLength ? 0 : shape.Window, batch);

    private static bool Hit(KernelGrid? grid, GridKey key, long axis, out Lookup hit)
    {
        if (grid is null || !grid.TryResolve(key, out var near, out var series, out var sizesInside))
        {
            hit = default;
            return false;
        }

        var inside = KernelGrid.TryInterpolate(series, axis, out var seconds, out var usedAxis);
        var source = inside && sizesInside ? KernelTimeSource.Measured : KernelTimeSource.Fitted;
        hit = new(new(seconds, source), near, (long)usedAxis, inside && near == key);
        return true;
    }

    /// <summary>The measured time at the nearest point, times the fitted curve's ratio between the query and that point.</summary>
    private static KernelTime Scaled(Lookup hit, double fittedQuery, double fittedNearest) =>
        hit.Time with { Seconds = hit.Time.Seconds * fittedQuery / fittedNearest };

    private readonly record struct Lookup(KernelTime Time, GridKey Near, long Axis, bool Exact);
}

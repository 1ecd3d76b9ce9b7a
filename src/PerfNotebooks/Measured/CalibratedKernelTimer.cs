using PerfNotebooks.Physical;

namespace PerfNotebooks.Measured;

/// <summary>A kernel timer scaled per <see cref="KernelCategory"/> by a <see cref="Calibration"/>.</summary>
internal sealed class CalibratedKernelTimer(IKernelTimer inner, Calibration calibration) : KernelTimerDecorator(inner)
{
    protected override KernelTime Map(KernelTime time, OperationKind kind)
    {
        var category = kind switch
        {
            OperationKind.Gemm => KernelCategory.Gemm,
            OperationKind.PrefillAttention or OperationKind.DecodeAttention => KernelCategory.Attention,
            OperationKind.Moe => KernelCategory.Moe,
            OperationKind.AllReduce => KernelCategory.Collective,
            OperationKind.Elementwise => KernelCategory.Elementwise,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "a kernel timer is not asked for this kind"),
        };
        return time with { Seconds = time.Seconds * calibration.Scale(category) };
    }
}

using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using PerfNotebooks.Hardware;
namespace PerfNotebooks.Physical.Kernels;

/// <summary>
/// Kernel times from efficiency curves fitted per GPU to AIConfigurator's measured vLLM kernels and shipped in the
/// library (<c>calibration.json</c>): a per-call fixed cost plus FLOPs at an achieved compute rate plus bytes at an
/// achieved bandwidth (<see cref="KernelFit"/>), per kernel family and dtype. Source = <see cref="KernelTimeSource.Fitted"/>.
/// </summary>
/// <remarks>
/// GPUs measured by AIConfigurator (H100-SXM, H200, A100-80GB, B200, L40S) use their own constants. Other catalog GPUs
/// use the constants of the nearest measured architecture, with the compute and bandwidth terms rescaled by the ratio
/// of datasheet peaks (the same achieved fraction of peak) and the all-reduce bandwidth term by the interconnect ratio:
/// H100-PCIe from h100_sxm, A100-40GB from a100_sxm, GB200 from b200_sxm, L4 from l40s, MI300X and MI325X from
/// h200_sxm (no AMD tables; an HBM3 GPU of similar peaks, a rough stand-in). <see cref="Notes"/> says which.
/// Elementwise kernels use AIConfigurator's memory model from the GPU's system file (<c>mem_bw_empirical_scaling_factor</c>,
/// <c>mem_empirical_constant_latency</c>). Each constant in calibration.json cites its file and commit. A fitted time is
/// never below the roofline (<see cref="RooflineKernelTimer"/>): small decode-attention reads served from L2 fit an
/// "achieved bandwidth" above HBM's, which must not carry over to large reads or to scaled GPUs.
/// </remarks>
public sealed class FittedKernelTimer : IKernelTimer
{
    private static readonly Lazy<JsonDocument> Shipped = new(() =>
    {
        using var stream = typeof(FittedKernelTimer).Assembly.GetManifestResourceStream("PerfNotebooks.Physical.Kernels.calibration.json")
            ?? throw new InvalidOperationException("calibration.json is not embedded");
        return JsonDocument.Parse(stream);
    });

    private static readonly FrozenDictionary<string, (string Aic, bool Direct)> Architecture = new Dictionary<string, (string, bool)>(StringComparer.OrdinalIgnoreCase)
    {
        ["H100-SXM"] = ("h100_sxm", true),
        ["H200"] = ("h200_sxm", true),
        ["A100-80GB"] = ("a100_sxm", true),
        ["B200"] = ("b200_sxm", true),
        ["L40S"] = ("l40s", true),
        ["H100-PCIe"] = ("h100_sxm", false),
        ["A100-40GB"] = ("a100_sxm", false),
        ["GB200"] = ("b200_sxm", false),
        ["L4"] = ("l40s", false),
        ["MI300X"] = ("h200_sxm", false),
        ["MI325X"] = ("h200_sxm", false),
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private readonly FrozenDictionary<string, KernelFit> _fits;
    private readonly GpuSpec _spec;
    private const int MaxGpus = 1024;
    private readonly RooflineKernelTimer _roof;
    private readonly KernelFit[] _gemm;
    private readonly KernelFit[] _moe;
    private readonly KernelFit[] _allReduce;
    private readonly KernelFit _prefill;
    private readonly KernelFit _decode;
    private readonly KernelFit _elementwise;

    /// <summary>The fitted timer for <paramref name="gpu"/> from the shipped calibration.</summary>
    /// <exception cref="ArgumentException">No measured architecture is mapped to this GPU.</exception>
    public FittedKernelTimer(GpuSpec gpu)
        : this(gpu, Shipped.Value.RootElement)
    {
    }

    /// <summary>The fitted timer for <paramref name="gpu"/> from a calibration document of the shipped format.</summary>
    /// <exception cref="ArgumentException">No measured architecture is mapped to this GPU, or the document lacks it.</exception>
    public FittedKernelTimer(GpuSpec gpu, JsonElement calibration)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        _spec = gpu;
        _roof = new RooflineKernelTimer(gpu);
        if (!Architecture.TryGetValue(gpu.Name, out var arch))
        {
            throw new ArgumentException($"no fitted kernel calibration for '{gpu.Name}'; calibrated GPUs are {string.Join(", ", Architecture.Keys.Order(StringComparer.Ordinal))}", nameof(gpu));
        }

        if (!calibration.TryGetProperty("gpus", out var gpus) || !gpus.TryGetProperty(arch.Aic, out var entry))
        {
            throw new ArgumentException($"calibration has no 'gpus.{arch.Aic}' entry", nameof(calibration));
        }

        AicGpu = arch.Aic;
        var fits = new Dictionary<string, KernelFit>(StringComparer.Ordinal);
        foreach (var group in entry.GetProperty("fits").EnumerateObject())
        {
            var fit = new KernelFit(group.Value.GetProperty("fixed_s").GetDouble(), group.Value.GetProperty("s_per_flop").GetDouble(), group.Value.GetProperty("s_per_byte").GetDouble());
            fits[group.Name] = fit;
        }

        if (arch.Direct)
        {
            Notes = string.Create(CultureInfo.InvariantCulture, $"fitted on AIConfigurator's {arch.Aic} tables");
        }
        else
        {
            var source = GpuCatalog.All.First(g => Architecture.TryGetValue(g.Name, out var a) && a.Direct && a.Aic == arch.Aic);
            var memory = source.Bandwidth() / gpu.Bandwidth();
            var link = source.InterconnectBytesPerSecond / gpu.InterconnectBytesPerSecond;
            foreach (var (name, fit) in fits.ToArray())
            {
                var compute = fit.SecondsPerFlop == 0 ? 1 : PeakRatio(source, gpu, name);
                fits[name] = name.StartsWith("allreduce.", StringComparison.Ordinal)
                    ? fit with { SecondsPerByte = fit.SecondsPerByte * link }
                    : fit with { SecondsPerFlop = fit.SecondsPerFlop * compute, SecondsPerByte = fit.SecondsPerByte * memory };
            }

            Notes = string.Create(CultureInfo.InvariantCulture,
                $"no measured tables for {gpu.Name}: {arch.Aic}'s fitted efficiencies applied to {gpu.Name}'s datasheet peaks");
        }

        _fits = fits.ToFrozenDictionary(StringComparer.Ordinal);

        // Implementation note: resolve each dtype's and GPU count's curve once, so a call is an array index, not a string.
        var dtypes = Enum.GetValues<KernelDtype>();
        _gemm = new KernelFit[dtypes.Length];
        _moe = new KernelFit[dtypes.Length];
        foreach (var d in dtypes)
        {
            _gemm[(int)d] = Group("gemm.", d);
            _moe[(int)d] = Group("moe.", d);
        }

        var measured = _fits.Where(f => f.Key.StartsWith("allreduce.", StringComparison.Ordinal))
            .Select(f => (Gpus: int.Parse(f.Key["allreduce.".Length..], CultureInfo.InvariantCulture), Fit: f.Value))
            .OrderBy(f => f.Gpus).ToArray();
        _allReduce = new KernelFit[MaxGpus + 1];
        for (var g = 2; g <= MaxGpus; g++)
        {
            // The measured GPU count nearest at or above (rings slow down with more GPUs), else the largest measured.
            _allReduce[g] = measured.Where(m => m.Gpus >= g).Select(m => m.Fit).DefaultIfEmpty(measured[^1].Fit).First();
        }

        _prefill = _fits["prefill_attention"];
        _decode = _fits["decode_attention"];
        _elementwise = _fits["elementwise"];
    }

    /// <inheritdoc />
    public string Gpu => _spec.Name;

    /// <inheritdoc />
    public KernelTimeSource Kind => KernelTimeSource.Fitted;

    /// <summary>Whether <paramref name="gpu"/> (by catalog name) has fitted constants, its own or a mapped architecture's.</summary>
    public static bool Supports(GpuSpec gpu)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        return Architecture.ContainsKey(gpu.Name);
    }

    /// <summary>AIConfigurator's name of the GPU whose fitted constants are used (<c>h100_sxm</c>).</summary>
    public string AicGpu { get; }

    /// <summary>Where the constants come from: this GPU's own tables, or another architecture's scaled to this GPU.</summary>
    public string Notes { get; }

    /// <summary>The shipped calibration document (the text of <c>calibration.json</c>).</summary>
    public static JsonElement Calibration => Shipped.Value.RootElement;

    /// <summary>The fitted curve of one group (<c>gemm.bfloat16</c>, <c>prefill_attention</c>, <c>allreduce.8</c>, …), if present.</summary>
    public bool TryGetFit(string group, out KernelFit fit) => _fits.TryGetValue(group, out fit);

    /// <inheritdoc />
    public KernelTime Gemm(long m, long n, long k, KernelDtype dtype)
    {
        Guard.Positive(m);
        Guard.Positive(n);
        Guard.Positive(k);
        return Fitted(_gemm[(int)dtype], KernelWork.Gemm(m, n, k, dtype), _roof.Gemm(m, n, k, dtype));
    }

    /// <inheritdoc />
    public KernelTime PrefillAttention(long batch, long tokens, long contextLength, AttentionShape shape)
    {
        Guard.Positive(batch);
        Guard.Positive(tokens);
        Guard.Positive(contextLength);
        return Fitted(_prefill, KernelWork.PrefillAttention(batch, tokens, Math.Max(tokens, contextLength), shape), _roof.PrefillAttention(batch, tokens, contextLength, shape));
    }

    /// <inheritdoc />
    public KernelTime DecodeAttention(long batch, long contextLength, AttentionShape shape)
    {
        Guard.Positive(batch);
        Guard.Positive(contextLength);
        return Fitted(_decode, KernelWork.DecodeAttention(batch, contextLength, shape), _roof.DecodeAttention(batch, contextLength, shape));
    }

    /// <inheritdoc />
    public KernelTime Moe(long tokens, MoeShape shape)
    {
        Guard.Positive(tokens);
        return Fitted(_moe[(int)shape.Dtype], KernelWork.Moe(tokens, shape), _roof.Moe(tokens, shape));
    }

    /// <inheritdoc />
    public KernelTime AllReduce(long bytes, int gpus)
    {
        Guard.NonNegative(bytes);
        Guard.Positive(gpus);
        if (gpus == 1)
        {
            return new(0, KernelTimeSource.Fitted);
        }

        return Fitted(_allReduce[Math.Min(gpus, MaxGpus)], new KernelWork(0, bytes), _roof.AllReduce(bytes, gpus));
    }

    /// <inheritdoc />
    public KernelTime Elementwise(long bytes)
    {
        Guard.NonNegative(bytes);
        return Fitted(_elementwise, new KernelWork(0, bytes), _roof.Elementwise(bytes));
    }

    private static double PeakRatio(GpuSpec source, GpuSpec target, string group)
    {
        var dtype = group.Contains("fp8", StringComparison.Ordinal) ? KernelDtype.Fp8 : KernelDtype.BFloat16;
        return source.Peak(KernelWork.ComputeFor(dtype, source)) / target.Peak(KernelWork.ComputeFor(dtype, target));
    }

    private KernelFit Group(string prefix, KernelDtype dtype) =>
        _fits.TryGetValue(prefix + KernelTables.Name(dtype), out var fit) ? fit
        : _fits.TryGetValue(prefix + "bfloat16", out fit) ? fit
        : _fits.First(f => f.Key.StartsWith(prefix, StringComparison.Ordinal)).Value;

    private static KernelTime Fitted(KernelFit fit, KernelWork work, KernelTime bound) => new(Math.Max(fit.Seconds(work), bound.Seconds), KernelTimeSource.Fitted);
}

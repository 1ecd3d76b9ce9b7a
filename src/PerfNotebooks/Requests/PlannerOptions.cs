using System.Collections.Immutable;
using System.Globalization;
using PerfNotebooks.Hardware;
using PerfNotebooks.Serving;
namespace PerfNotebooks.Requests;

/// <summary>
/// The capacity planner's options (<c>perfnb plan</c>, <c>#!perf plan</c>), each declared once; the grid axes are the
/// sweep's (<c>--gpu G,…</c>, <c>--tp N,…</c>, …) and the lengths are the serving options'.
/// </summary>
public static class PlannerOptions
{
    /// <summary>Requests per second arriving at the whole deployment (Poisson).</summary>
    public static RequestOption<double> RequestRate { get; } = RequestOption.One("request-rate", "R",
        "requests per second arriving at the whole deployment (Poisson arrivals, as vllm bench serve --request-rate)", 0.0, Quantity.TryParsePositive);

    /// <summary>Time-to-first-token target, ms.</summary>
    public static RequestOption<double?> TtftMs { get; } = RequestOption.One<double?>("ttft-ms", "T", "time to first token target at the percentile, ms", null, OptionalPositive);

    /// <summary>Time-per-output-token target, ms.</summary>
    public static RequestOption<double?> TpotMs { get; } = RequestOption.One<double?>("tpot-ms", "T", "time per output token target at the percentile, ms", null, OptionalPositive);

    /// <summary>End-to-end latency target, ms.</summary>
    public static RequestOption<double?> E2elMs { get; } = RequestOption.One<double?>("e2el-ms", "T", "end-to-end latency target at the percentile, ms", null, OptionalPositive);

    /// <summary>The percentile the targets are read at.</summary>
    public static RequestOption<double> Percentile { get; } = RequestOption.One("percentile", "P", "percentile of the targets, in (0, 100] (default 90)", 90.0,
        (string? text, out double value, out string error) =>
        {
            var ok = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && value is > 0 and <= 100;
            error = ok ? string.Empty : $"must be a percentile in (0, 100], not '{text}'";
            return ok;
        });

    /// <summary>At most this many GPUs in the deployment.</summary>
    public static RequestOption<long?> MaxGpus { get; } = RequestOption.One<long?>("max-gpus", "N", "at most N GPUs in the whole deployment (default: no limit)", null,
        (string? text, out long? value, out string error) =>
        {
            var ok = Quantity.TryParse(text, out var n, out error) && n > 0;
            error = ok ? string.Empty : error.Length > 0 ? error : $"must be a positive count, not '{text}'";
            value = ok ? n : null;
            return ok;
        });

    /// <summary>GPU prices, USD per GPU-hour.</summary>
    public static RequestOption<ImmutableArray<KeyValuePair<string, double>>> GpuCost { get; } = RequestOption.Many("gpu-cost", "G=USD_PER_HOUR,…",
        "price of one GPU-hour by GPU name (with prices, deployments are ranked by cost and GPUs without a price are left out)",
        ImmutableArray<KeyValuePair<string, double>>.Empty,
        (string? text, out KeyValuePair<string, double> value, out string error) =>
        {
            var parts = (text ?? string.Empty).Split('=');
            var ok = parts.Length == 2 && parts[0].Length > 0
                     && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var price) && price is > 0 and < double.PositiveInfinity;
            value = ok ? new(parts[0], double.Parse(parts[1], CultureInfo.InvariantCulture)) : default;
            error = ok ? string.Empty : $"must be GPU=USD_PER_HOUR with a positive price, e.g. H100-SXM=2.5, not '{text}'";
            return ok;
        }, [.. GpuCatalog.All.Select(g => g.Name + "=")]);

    /// <summary>Also plan disaggregated prefill and decode pools.</summary>
    public static RequestOption<bool> Disaggregated { get; } = RequestOption.Flag("disaggregated",
        "also plan disaggregated prefill and decode pools (KV cache over the interconnect) and compare them with aggregated serving");

    /// <summary>Speculative decoding as stated.</summary>
    public static RequestOption<PlannerSpeculation?> Speculative { get; } = RequestOption.One<PlannerSpeculation?>("speculative", "TOKENS:ACCEPTANCE[:DRAFT_COST]",
        "speculative decoding: draft tokens per step, their acceptance rate, and a draft token's cost as a fraction of a decode step (default 0.05)", null,
        PlannerSpeculation.TryParse);

    /// <summary>The planner's own options.</summary>
    public static ImmutableArray<IRequestOption> Own { get; } = [RequestRate, TtftMs, TpotMs, E2elMs, Percentile, MaxGpus, GpuCost, Disaggregated, Speculative];

    /// <summary>Every option <c>perfnb plan</c> takes: lengths, the grid axes, the planner's own, and the engine settings the grid does not vary.</summary>
    public static ImmutableArray<IRequestOption> Group { get; } =
    [
        RequestOptions.InputLength, RequestOptions.OutputLength, .. Own,
        RequestOptions.Gpus, RequestOptions.TensorParallelSizes, RequestOptions.PipelineParallelSizes, RequestOptions.DataParallelSizes,
        RequestOptions.ExpertParallelValues, RequestOptions.Dtypes, RequestOptions.KvCacheDtypes, RequestOptions.Quantizations, RequestOptions.Utilization,
        RequestOptions.HfOverrides, RequestOptions.DisableSlidingWindow, RequestOptions.Vllm,
    ];

    /// <summary>The engine settings the plan does not vary (HF overrides, sliding windows, vLLM revision).</summary>
    public static EngineSettings ReadBaseEngine(IRequestValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new EngineSettings
        {
            HfOverrides = RequestOptions.Get(values, RequestOptions.HfOverrides),
            DisableSlidingWindow = RequestOptions.Get(values, RequestOptions.DisableSlidingWindow),
            Vllm = RequestOptions.Get(values, RequestOptions.Vllm),
        };
    }

    /// <summary>The plan the values ask for; an axis not given takes the planner's default (every GPU, every layout that divides the model).</summary>
    /// <exception cref="ArgumentException">A required value is missing or a GPU is unknown; the message is one line naming the option.</exception>
    public static PlannerRequest ReadPlan(IRequestValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        // The lengths have serve's defaults, but a plan is for the traffic the user states: each must be given.
        var rate = RequestOptions.Get(values, RequestRate);
        var input = values.TryGet(RequestOptions.InputLength, out var inputGiven) ? inputGiven : 0;
        var output = values.TryGet(RequestOptions.OutputLength, out var outputGiven) ? outputGiven : 0;
        if (rate <= 0 || input <= 0 || output <= 0)
        {
            throw new ArgumentException("--request-rate R, --input-len N and --output-len N are required");
        }

        ImmutableArray<T> Axis<T>(RequestOption<ImmutableArray<T>> option, ImmutableArray<T> otherwise) =>
            values.TryGet(option, out var given) ? given : otherwise;
        var gpus = Axis(RequestOptions.Gpus, []).Select(name => GpuChoice.TryParse(name, out var choice, out var error)
            ? choice.Gpu
            : throw new ArgumentException(error)).ToImmutableArray();
        var prices = RequestOptions.Get(values, GpuCost).Select(kv => GpuCatalog.TryFind(kv.Key, out var g)
            ? new KeyValuePair<string, double>(g.Name, kv.Value)
            : gpus.FirstOrDefault(x => string.Equals(x.Name, kv.Key, StringComparison.OrdinalIgnoreCase)) is { } custom
                ? new KeyValuePair<string, double>(custom.Name, kv.Value)
                : throw new ArgumentException($"--gpu-cost names '{kv.Key}', which is not a catalog GPU (perfnb gpus) or one given with --gpu"));
        return new PlannerRequest
        {
            RequestRate = rate,
            InputTokens = input,
            OutputTokens = output,
            Targets = new PlannerTargets
            {
                Percentile = RequestOptions.Get(values, Percentile),
                TtftMs = RequestOptions.Get(values, TtftMs),
                TpotMs = RequestOptions.Get(values, TpotMs),
                E2elMs = RequestOptions.Get(values, E2elMs),
            },
            Gpus = gpus,
            TensorParallel = Axis(RequestOptions.TensorParallelSizes, []),
            PipelineParallel = Axis(RequestOptions.PipelineParallelSizes, []),
            DataParallel = Axis(RequestOptions.DataParallelSizes, []),
            ExpertParallel = Axis(RequestOptions.ExpertParallelValues, []),
            Dtypes = RequestOptions.Get(values, RequestOptions.Dtypes),
            KvCacheDtypes = RequestOptions.Get(values, RequestOptions.KvCacheDtypes),
            Quantizations = RequestOptions.Get(values, RequestOptions.Quantizations),
            MaxGpus = RequestOptions.Get(values, MaxGpus),
            GpuCostPerHour = ImmutableDictionary.CreateRange(StringComparer.OrdinalIgnoreCase, prices.GroupBy(p => p.Key, StringComparer.OrdinalIgnoreCase).Select(g => g.Last())),
            Disaggregated = RequestOptions.Get(values, Disaggregated),
            Speculation = RequestOptions.Get(values, Speculative),
            Utilization = RequestOptions.Get(values, RequestOptions.Utilization),
        };
    }

    private static bool OptionalPositive(string? text, out double? value, out string error)
    {
        var ok = Quantity.TryParsePositive(text, out var v, out error);
        value = ok ? v : null;
        return ok;
    }
}

using System.Collections.Immutable;
using PerfNotebooks.Analysis;
using PerfNotebooks.Hardware;
namespace PerfNotebooks.Serving;

/// <summary>
/// What to plan: traffic (a Poisson request rate with fixed input and output lengths), latency targets, and the axes
/// of the search (GPU kind × TP × PP × DP × EP × dtype × KV-cache dtype × quantization). An empty axis takes its
/// default; an axis given one value is fixed.
/// </summary>
public sealed record PlannerRequest
{
    /// <summary>TP sizes tried when none are given (those that divide the attention heads; at most one 8-GPU node).</summary>
    public static ImmutableArray<int> DefaultTensorParallel { get; } = [1, 2, 4, 8];

    /// <summary>PP sizes tried when none are given (those that divide the layers).</summary>
    public static ImmutableArray<int> DefaultPipelineParallel { get; } = [1, 2, 4, 8];

    /// <summary>DP sizes tried for MoE models when none are given; a dense model's DP is the same as more replicas, so it stays 1.</summary>
    public static ImmutableArray<int> DefaultDataParallel { get; } = [1, 2, 4, 8];

    /// <summary>Requests per second arriving at the whole deployment (Poisson arrivals, vllm bench serve <c>--request-rate</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a positive finite number.</exception>
    public required double RequestRate
    {
        get;
        init => field = value is > 0 and < double.PositiveInfinity ? value : throw new ArgumentOutOfRangeException(nameof(RequestRate), value, "must be a positive number of requests per second");
    }

    /// <summary>Prompt tokens per request.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public required long InputTokens { get; init => field = Guard.Positive(value, nameof(InputTokens)); }

    /// <summary>Generated tokens per request (the first one included).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public required long OutputTokens { get; init => field = Guard.Positive(value, nameof(OutputTokens)); }

    /// <summary>Latency targets and their percentile.</summary>
    public PlannerTargets Targets { get; init; } = new();

    /// <summary>GPU kinds to try; empty: every catalog GPU (those the model does not fit on drop out at the memory check).</summary>
    public ImmutableArray<GpuSpec> Gpus { get; init; } = [];

    /// <summary>TP sizes; empty: <see cref="DefaultTensorParallel"/>.</summary>
    public ImmutableArray<int> TensorParallel { get; init; } = [];

    /// <summary>PP sizes; empty: <see cref="DefaultPipelineParallel"/>.</summary>
    public ImmutableArray<int> PipelineParallel { get; init; } = [];

    /// <summary>DP sizes inside one replica; empty: 1 for dense models, <see cref="DefaultDataParallel"/> for MoE.</summary>
    public ImmutableArray<int> DataParallel { get; init; } = [];

    /// <summary>Expert parallelism off and/or on; empty: off for dense models, both for MoE.</summary>
    public ImmutableArray<bool> ExpertParallel { get; init; } = [];

    /// <summary>Model dtypes (vLLM <c>--dtype</c>).</summary>
    public ImmutableArray<string> Dtypes { get; init; } = ["auto"];

    /// <summary>KV-cache dtypes (vLLM <c>--kv-cache-dtype</c>).</summary>
    public ImmutableArray<string> KvCacheDtypes { get; init; } = ["auto"];

    /// <summary>Quantization methods; null is the checkpoint's own.</summary>
    public ImmutableArray<string?> Quantizations { get; init; } = [null];

    /// <summary>At most this many GPUs in the whole deployment; null: no limit.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public long? MaxGpus { get; init => field = value is { } v ? Guard.Positive(v, nameof(MaxGpus)) : null; }

    /// <summary>USD per GPU-hour by GPU name. When any price is given, GPU kinds without one are left out.</summary>
    public ImmutableDictionary<string, double> GpuCostPerHour { get; init; } = ImmutableDictionary<string, double>.Empty.WithComparers(StringComparer.OrdinalIgnoreCase);

    /// <summary>Also plan disaggregated prefill and decode pools and compare them with aggregated serving.</summary>
    public bool Disaggregated { get; init; }

    /// <summary>Speculative decoding as stated; null: off.</summary>
    public PlannerSpeculation? Speculation { get; init; }

    /// <summary>vLLM's <c>gpu_memory_utilization</c>.</summary>
    public double Utilization { get; init => field = Guard.Fraction(value, "gpu_memory_utilization"); } = MemoryPlanner.DefaultUtilization;

    /// <summary>Prompts of the simulation that confirms a deployment (vllm bench serve <c>--num-prompts</c>, default 1000 in vllm/benchmarks/serve.py).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public int NumPrompts { get; init => field = Guard.Positive(value, nameof(NumPrompts)); } = 1000;

    /// <summary>Prompts of each simulation during the search (fewer than <see cref="NumPrompts"/> for speed; the answer is confirmed at <see cref="NumPrompts"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public int SearchPrompts { get; init => field = Guard.Positive(value, nameof(SearchPrompts)); } = 200;

    /// <summary>Seed of the arrival times (vllm bench serve <c>--seed</c>, default 0).</summary>
    public int Seed { get; init; }

    /// <summary>Runners-up to report besides the best.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public int RunnersUp { get; init => field = (int)Guard.NonNegative(value, nameof(RunnersUp)); } = 5;
}

using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using PerfNotebooks.Analysis;
using PerfNotebooks.Hardware;
using PerfNotebooks.Models;
namespace PerfNotebooks.Requests;

/// <summary>
/// Every option of the request model, each declared once with its parser and default, and the readers that turn
/// option values into engine settings, a GPU choice, a batch and a sweep grid. The CLI, <c>#!perf</c> and the
/// report use these and parse no text of their own.
/// </summary>
public static class RequestOptions
{
    /// <summary>vLLM <c>--dtype</c>.</summary>
    public static RequestOption<string> Dtype { get; } = RequestOption.One("dtype", "DTYPE",
        $"model dtype: {string.Join(", ", ModelSource.Dtypes)} (default auto: the checkpoint's)", "auto", DtypeParser(ModelSource.Dtypes), ModelSource.Dtypes);

    /// <summary>vLLM <c>--kv-cache-dtype</c>.</summary>
    public static RequestOption<string> KvCacheDtype { get; } = RequestOption.One("kv-cache-dtype", "DTYPE",
        $"KV-cache dtype: {string.Join(", ", ModelSource.KvCacheDtypes)} (default auto)", "auto", DtypeParser(ModelSource.KvCacheDtypes), ModelSource.KvCacheDtypes);

    /// <summary>vLLM <c>--quantization</c>.</summary>
    public static RequestOption<string?> Quantization { get; } = RequestOption.One<string?>("quantization", "METHOD",
        "quantization method (default: the checkpoint's quantization_config)", null, NonEmpty);

    /// <summary>vLLM <c>--tensor-parallel-size</c>.</summary>
    public static RequestOption<int> TensorParallel { get; } = RequestOption.One("tp", "N", "tensor-parallel size (default 1)", 1, Quantity.TryParseInt);

    /// <summary>vLLM <c>--pipeline-parallel-size</c>.</summary>
    public static RequestOption<int> PipelineParallel { get; } = RequestOption.One("pp", "N", "pipeline-parallel size (default 1)", 1, Quantity.TryParseInt);

    /// <summary>vLLM <c>--data-parallel-size</c>.</summary>
    public static RequestOption<int> DataParallel { get; } = RequestOption.One("dp", "N", "data-parallel size (default 1)", 1, Quantity.TryParseInt);

    /// <summary>vLLM <c>--enable-expert-parallel</c>.</summary>
    public static RequestOption<bool> ExpertParallel { get; } = RequestOption.Flag("ep", "enable expert parallelism");

    /// <summary>vLLM <c>--hf-overrides</c>.</summary>
    public static RequestOption<JsonObject?> HfOverrides { get; } = RequestOption.One<JsonObject?>("hf-overrides", "JSON",
        "vLLM --hf-overrides, a JSON object applied to config.json", null, ParseJsonObject);

    /// <summary>The vLLM revision whose perf model (the vLLM book) is reproduced: <c>2025-12</c>, <c>2026-09</c> or <c>latest</c>.</summary>
    public static RequestOption<VllmRevision> Vllm { get; } = RequestOption.One("vllm", "REVISION",
        $"vLLM revision whose perf model to reproduce: 2025-12, 2026-09 or latest (default {VllmRevision.Default})", VllmRevision.Default,
        (string? text, out VllmRevision value, out string error) =>
        {
            var ok = VllmRevision.TryParse(text, out value);
            error = ok ? string.Empty : $"'{text}' is not a vLLM revision; use 2025-12, 2026-09 or latest";
            return ok;
        }, ["2025-12", "2026-09", "latest"]);

    /// <summary>vLLM <c>--disable-sliding-window</c>.</summary>
    public static RequestOption<bool> DisableSlidingWindow { get; } = RequestOption.Flag("disable-sliding-window", "vLLM --disable-sliding-window: every layer attends to its whole context");

    /// <summary>The GPU: a catalog name or a GPU JSON file.</summary>
    public static RequestOption<GpuChoice> Gpu { get; } = RequestOption.One("gpu", "NAME|FILE",
        $"GPU from the catalog (perfnb gpus) or a GPU JSON file (default {GpuChoice.DefaultName})", GpuChoice.Default, GpuChoice.TryParse,
        [.. GpuCatalog.All.Select(g => g.Name)]);

    /// <summary>The compute dtype override.</summary>
    public static RequestOption<ComputeDtype?> ComputeDtype { get; } = RequestOption.One<ComputeDtype?>("compute-dtype", "DTYPE",
        "override the compute dtype: fp32, tf32, bf16, fp16, fp8, fp4 (default: from the engine settings)", null,
        (string? text, out ComputeDtype? value, out string error) =>
        {
            var ok = GpuChoice.TryParseComputeDtype(text, out var dtype, out error);
            value = ok ? dtype : null;
            return ok;
        }, [.. Enum.GetNames<ComputeDtype>().Select(n => n.ToLowerInvariant())]);

    /// <summary>A measured fraction of peak FLOP/s.</summary>
    public static RequestOption<double?> FlopsEfficiency { get; } = RequestOption.One<double?>("flops-efficiency", "FRACTION",
        "measured achievable fraction of peak FLOP/s, applied to times (default: the GPU file's, else 1)", null, Fraction);

    /// <summary>A measured fraction of peak memory bandwidth.</summary>
    public static RequestOption<double?> BandwidthEfficiency { get; } = RequestOption.One<double?>("bandwidth-efficiency", "FRACTION",
        "measured achievable fraction of peak bandwidth, applied to times (default: the GPU file's, else 1)", null, Fraction);

    /// <summary>Prefill request groups of the step.</summary>
    public static RequestOption<ImmutableArray<RequestSpec>> Prefill { get; } = RequestOption.Many("prefill", "TOKENS[:CONTEXT][xCOUNT]",
        "prefill requests (repeatable, comma-separated; default step: " + BatchSpec.Default + ")", ImmutableArray<RequestSpec>.Empty,
        (string? text, out RequestSpec value, out string error) => RequestSpec.TryParsePrefill(text ?? string.Empty, out value, out error));

    /// <summary>Decode request groups of the step.</summary>
    public static RequestOption<ImmutableArray<RequestSpec>> Decode { get; } = RequestOption.Many("decode", "CONTEXT[xCOUNT]",
        "decode requests (repeatable, comma-separated)", ImmutableArray<RequestSpec>.Empty,
        (string? text, out RequestSpec value, out string error) => RequestSpec.TryParseDecode(text ?? string.Empty, out value, out error));

    /// <summary>vLLM's <c>gpu_memory_utilization</c>.</summary>
    public static RequestOption<double> Utilization { get; } = RequestOption.One("utilization", "F",
        "gpu_memory_utilization, the fraction of GPU memory the engine may use (default 0.9)", MemoryPlanner.DefaultUtilization, Quantity.TryParseFraction);

    /// <summary>The context length to count concurrent sequences at (0: none).</summary>
    public static RequestOption<long> Context { get; } = RequestOption.One("context", "N",
        "context length to count concurrent sequences at", 0L, Quantity.TryParse);

    /// <summary>GB per GPU set aside for activations and overhead.</summary>
    public static RequestOption<double> ReserveGigabytes { get; } = RequestOption.One("reserve-gb", "G",
        "GB per GPU set aside for activations and overhead (default 0)", 0.0, Quantity.TryParsePositive);

    /// <summary>Sweep: models.</summary>
    public static RequestOption<ImmutableArray<string>> Models { get; } = RequestOption.Many("model", "M,…",
        "models: catalog names, Hugging Face ids or config paths", ImmutableArray<string>.Empty, NonEmptyText);

    /// <summary>Sweep: GPUs.</summary>
    public static RequestOption<ImmutableArray<string>> Gpus { get; } = RequestOption.Many("gpu", "G,…",
        $"GPUs: catalog names or GPU JSON files (default {GpuChoice.DefaultName})", [GpuChoice.DefaultName], NonEmptyText,
        [.. GpuCatalog.All.Select(g => g.Name)]);

    /// <summary>Sweep: tensor-parallel sizes.</summary>
    public static RequestOption<ImmutableArray<int>> TensorParallelSizes { get; } = RequestOption.Many("tp", "N,…", "tensor-parallel sizes (default 1)", [1], Quantity.TryParseInt);

    /// <summary>Sweep: pipeline-parallel sizes.</summary>
    public static RequestOption<ImmutableArray<int>> PipelineParallelSizes { get; } = RequestOption.Many("pp", "N,…", "pipeline-parallel sizes (default 1)", [1], Quantity.TryParseInt);

    /// <summary>Sweep: data-parallel sizes.</summary>
    public static RequestOption<ImmutableArray<int>> DataParallelSizes { get; } = RequestOption.Many("dp", "N,…", "data-parallel sizes (default 1)", [1], Quantity.TryParseInt);

    /// <summary>Sweep: expert parallelism off and/or on.</summary>
    public static RequestOption<ImmutableArray<bool>> ExpertParallelValues { get; } = RequestOption.Many("ep", "off,on",
        "expert parallelism values (default off)", [false], OnOff, ["off", "on"]);

    /// <summary>Sweep: model dtypes.</summary>
    public static RequestOption<ImmutableArray<string>> Dtypes { get; } = RequestOption.Many("dtype", "D,…", "model dtypes (default auto)", ["auto"],
        DtypeParser(ModelSource.Dtypes), ModelSource.Dtypes);

    /// <summary>Sweep: KV-cache dtypes.</summary>
    public static RequestOption<ImmutableArray<string>> KvCacheDtypes { get; } = RequestOption.Many("kv-cache-dtype", "D,…", "KV-cache dtypes (default auto)", ["auto"],
        DtypeParser(ModelSource.KvCacheDtypes), ModelSource.KvCacheDtypes);

    /// <summary>Sweep: quantization methods (<c>checkpoint</c> for the config's own).</summary>
    public static RequestOption<ImmutableArray<string?>> Quantizations { get; } = RequestOption.Many<string?>("quantization", "Q,…",
        "quantization methods ('checkpoint' for the config's own; default checkpoint)", [null],
        (string? text, out string? value, out string error) =>
        {
            error = string.Empty;
            value = text == "checkpoint" ? null : text;
            return true;
        });

    /// <summary>Sweep: decode batch sizes.</summary>
    public static RequestOption<ImmutableArray<long>> DecodeBatches { get; } = RequestOption.Many("decode-batch", "N,…",
        "decode batch sizes (default " + string.Join(",", SweepGrid.DefaultDecodeBatches) + ")", SweepGrid.DefaultDecodeBatches, Quantity.TryParse);

    /// <summary>Sweep: decode context lengths.</summary>
    public static RequestOption<ImmutableArray<long>> Contexts { get; } = RequestOption.Many("context", "N,…",
        "decode context lengths (default 1k,4k,16k,64k)", SweepGrid.DefaultContexts, Quantity.TryParse);

    /// <summary>Sweep: prefill lengths, one request each.</summary>
    public static RequestOption<ImmutableArray<long>> PrefillLengths { get; } = RequestOption.Many("prefill", "TOKENS,…",
        "prefill lengths, one request each, as separate points", ImmutableArray<long>.Empty, Quantity.TryParse);

    /// <summary>Serve: prompt tokens per request (vllm bench serve's <c>--random-input-len</c>).</summary>
    public static RequestOption<long> InputLength { get; } = RequestOption.One("input-len", "N", "prompt tokens per request (default 1024, vllm bench serve's)", 1024L, Quantity.TryParse, aliases: ["random-input-len"]);

    /// <summary>Serve: generated tokens per request, the first one included (vllm bench serve's <c>--random-output-len</c>).</summary>
    public static RequestOption<long> OutputLength { get; } = RequestOption.One("output-len", "N", "generated tokens per request (default 128, vllm bench serve's)", 128L, Quantity.TryParse, aliases: ["random-output-len"]);

    /// <summary>Serve: vllm bench serve's <c>--num-prompts</c> (with <c>--concurrency</c>: aiperf's request count).</summary>
    public static RequestOption<long?> NumPrompts { get; } = RequestOption.One<long?>("num-prompts", "N",
        "vllm bench serve: requests to send (default 1000); with --concurrency: measured requests (default 20 × concurrency)", null, OptionalCount);

    /// <summary>Serve: vllm bench serve's <c>--request-rate</c>, requests per second or <c>inf</c>.</summary>
    public static RequestOption<double> RequestRate { get; } = RequestOption.One("request-rate", "RPS",
        "vllm bench serve: requests per second, Poisson or gamma arrivals (default inf: all at once)", double.PositiveInfinity, ParseRate);

    /// <summary>Serve: vllm bench serve's <c>--max-concurrency</c>.</summary>
    public static RequestOption<long?> MaxConcurrency { get; } = RequestOption.One<long?>("max-concurrency", "N",
        "vllm bench serve: requests in flight at most (default: no limit)", null, OptionalCount);

    /// <summary>Serve: vllm bench serve's <c>--burstiness</c>.</summary>
    public static RequestOption<double> Burstiness { get; } = RequestOption.One("burstiness", "F",
        "vllm bench serve: gamma shape of request gaps, 1 = Poisson (default 1)", 1.0, ParseRate);

    /// <summary>Serve: vllm bench serve's <c>--random-range-ratio</c>.</summary>
    public static RequestOption<double> RangeRatio { get; } = RequestOption.One("random-range-ratio", "F",
        "spread of lengths around --input-len and --output-len, in [0, 1) (default 0: fixed)", 0.0, ParseRangeRatio);

    /// <summary>Serve: the random seed of lengths and arrivals (vllm bench serve's <c>--seed</c>).</summary>
    public static RequestOption<int> Seed { get; } = RequestOption.One("seed", "N", "random seed of lengths and arrival times (default 0)", 0, Quantity.TryParseInt);

    /// <summary>Serve: vllm bench serve's <c>--goodput</c> SLOs.</summary>
    /// <remarks>Several values, as vllm bench serve takes them (<c>--goodput ttft:500 tpot:50</c>), or one
    /// comma-separated value; given twice, the pairs add up.</remarks>
    public static RequestOption<Serving.GoodputSlo?> Goodput { get; } = new("goodput", "KEY:MS …",
        "goodput SLOs in milliseconds, e.g. ttft:500 tpot:50 (keys ttft, tpot, e2el)", null, allowsMany: true, null,
        texts => Serving.GoodputSlo.TryParse(string.Join(' ', texts), out var slo, out var error) ? (true, slo, string.Empty) : (false, null, error),
        takesSeveralValues: true);

    /// <summary>Serve: vLLM's <c>max_num_seqs</c>.</summary>
    public static RequestOption<long?> MaxNumSeqs { get; } = RequestOption.One<long?>("max-num-seqs", "N",
        "vLLM max_num_seqs, requests running at once (default: vLLM's server default for the GPU)", null, OptionalCount);

    /// <summary>Serve: a static batch of N requests started together.</summary>
    public static RequestOption<long?> ServeBatch { get; } = RequestOption.One<long?>("batch", "N",
        "static batch: N requests handed to the engine together, no API server (instead of vllm bench serve)", null, OptionalCount);

    /// <summary>Serve: a closed loop keeping N requests in flight.</summary>
    public static RequestOption<long?> Concurrency { get; } = RequestOption.One<long?>("concurrency", "N",
        "aiperf concurrency mode: N requests in flight, each replaced when it finishes, after 2N warm-up requests (instead of vllm bench serve)", null, OptionalCount);

    /// <summary>Serve: an AIConfigurator <c>systems</c> folder whose measured kernel tables time each operation.</summary>
    public static RequestOption<string?> KernelTables { get; } = RequestOption.One<string?>("kernel-tables", "DIR",
        "AIConfigurator systems folder (or its installed package's): time kernels from its measured tables instead of the shipped fitted curves", null, NonEmpty);

    /// <summary>A calibration file (<c>perfnb measured --fit</c>): per-category factors applied to the expected kernel times.</summary>
    public static RequestOption<string?> Calibration { get; } = RequestOption.One<string?>("calibration", "FILE",
        "calibration JSON fitted by perfnb measured --fit: scale the expected kernel times per category (for the GPU it was fitted on)", null, NonEmpty);

    /// <summary>Serve: vLLM's <c>max_num_batched_tokens</c>.</summary>
    public static RequestOption<long?> MaxNumBatchedTokens { get; } = RequestOption.One<long?>("max-num-batched-tokens", "N",
        "vLLM max_num_batched_tokens, tokens one step may schedule (default: vLLM's server default for the GPU)", null, OptionalCount);

    /// <summary>Measured: a vLLM server log (iteration details, stats and MFU lines).</summary>
    public static RequestOption<string?> Log { get; } = RequestOption.One<string?>("log", "FILE",
        "a vLLM server log (iteration details, stats and MFU lines)", null, NonEmpty);

    /// <summary>Measured: one or two saved scrapes of vLLM's <c>/metrics</c> (two: rates over the interval between them).</summary>
    public static RequestOption<ImmutableArray<string>> Scrapes { get; } = RequestOption.Many("metrics", "SCRAPE[,SCRAPE2]",
        "one or two saved scrapes of vLLM's /metrics (two: rates over the interval between them)", ImmutableArray<string>.Empty, NonEmptyText);

    /// <summary>Measured: a <c>vllm bench serve --save-result</c> JSON or aiperf's <c>profile_export_aiperf.json</c>.</summary>
    public static RequestOption<string?> Bench { get; } = RequestOption.One<string?>("bench", "FILE",
        "a vllm bench serve --save-result JSON or aiperf's profile_export_aiperf.json", null, NonEmpty);

    /// <summary>Measured: a PyTorch profiler trace (<c>.pt.trace.json[.gz]</c>).</summary>
    public static RequestOption<string?> Trace { get; } = RequestOption.One<string?>("trace", "FILE",
        "a PyTorch profiler trace (.pt.trace.json[.gz])", null, NonEmpty);

    /// <summary>Measured: the context length each decode of a log or scrape attends to (null: the mean prompt length it implies).</summary>
    public static RequestOption<long?> DecodeContext { get; } = RequestOption.One<long?>("decode-context", "N",
        "context length each decode attends to (a log or scrape does not say; default: the mean prompt length it implies)", null, OptionalCount);

    /// <summary>Measured: seconds between two scrapes (null: their sample timestamps).</summary>
    public static RequestOption<double?> IntervalSeconds { get; } = RequestOption.One<double?>("interval-s", "S",
        "seconds between the two scrapes (default: their sample timestamps)", null, OptionalPositive);

    /// <summary>The measured inputs, one of which <c>#!perf measured</c> and the report take.</summary>
    public static ImmutableArray<IRequestOption> MeasuredGroup { get; } = [Log, Scrapes, Bench, Trace];

    /// <summary>The engine options every model command takes.</summary>
    public static ImmutableArray<IRequestOption> EngineGroup { get; } = [Dtype, KvCacheDtype, Quantization, TensorParallel, PipelineParallel, DataParallel, ExpertParallel, HfOverrides, DisableSlidingWindow, Vllm];

    /// <summary>The GPU options of the analysis commands.</summary>
    public static ImmutableArray<IRequestOption> GpuGroup { get; } = [Gpu, ComputeDtype, FlopsEfficiency, BandwidthEfficiency];

    /// <summary>The batch options.</summary>
    public static ImmutableArray<IRequestOption> BatchGroup { get; } = [Prefill, Decode];

    /// <summary>The sweep grid options.</summary>
    public static ImmutableArray<IRequestOption> SweepGroup { get; } =
        [Models, Gpus, TensorParallelSizes, PipelineParallelSizes, DataParallelSizes, ExpertParallelValues, Dtypes, KvCacheDtypes, Quantizations,
         DecodeBatches, Contexts, PrefillLengths, Utilization];

    /// <summary>The serving options (<c>perfnb serve</c>, <c>#!perf serve</c>).</summary>
    public static ImmutableArray<IRequestOption> ServeGroup { get; } =
        [InputLength, OutputLength, NumPrompts, RequestRate, MaxConcurrency, Burstiness, RangeRatio, Seed, Goodput, ServeBatch, Concurrency, MaxNumBatchedTokens, MaxNumSeqs, Utilization, KernelTables, Calibration];

    /// <summary>The engine settings the values ask for (defaults for what is not given).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    public static EngineSettings ReadEngine(IRequestValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new EngineSettings
        {
            Dtype = Get(values, Dtype),
            KvCacheDtype = Get(values, KvCacheDtype),
            Quantization = Get(values, Quantization),
            TensorParallel = Get(values, TensorParallel),
            PipelineParallel = Get(values, PipelineParallel),
            DataParallel = Get(values, DataParallel),
            EnableExpertParallel = Get(values, ExpertParallel),
            HfOverrides = Get(values, HfOverrides),
            DisableSlidingWindow = Get(values, DisableSlidingWindow),
            Vllm = Get(values, Vllm),
        };
    }

    /// <summary>The GPU choice the values ask for: the GPU, stated efficiencies over the file's, the compute dtype.</summary>
    public static GpuChoice ReadGpu(IRequestValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Get(values, Gpu).WithEfficiency(Get(values, FlopsEfficiency), Get(values, BandwidthEfficiency)) with
        {
            ComputeDtype = Get(values, ComputeDtype),
        };
    }

    /// <summary>The requests of the step as given (empty when none; see <see cref="BatchSpec.OrDefault"/>).</summary>
    public static BatchSpec ReadBatch(IRequestValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new BatchSpec { Requests = [.. Get(values, Prefill), .. Get(values, Decode)] };
    }

    /// <summary>The sweep grid the values ask for.</summary>
    public static SweepGrid ReadSweepGrid(IRequestValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new SweepGrid
        {
            Models = Get(values, Models),
            Gpus = Get(values, Gpus),
            TensorParallel = Get(values, TensorParallelSizes),
            PipelineParallel = Get(values, PipelineParallelSizes),
            DataParallel = Get(values, DataParallelSizes),
            ExpertParallel = Get(values, ExpertParallelValues),
            Dtypes = Get(values, Dtypes),
            KvCacheDtypes = Get(values, KvCacheDtypes),
            Quantizations = Get(values, Quantizations),
            DecodeBatches = Get(values, DecodeBatches),
            Contexts = Get(values, Contexts),
            Prefills = Get(values, PrefillLengths),
            Utilization = Get(values, Utilization),
        };
    }

    /// <summary>
    /// The serving benchmark the values ask for: <c>vllm bench serve</c> (<c>--num-prompts</c>, <c>--request-rate</c>,
    /// <c>--max-concurrency</c>, …), or aiperf's concurrency mode (<c>--concurrency</c>), or a static batch
    /// (<c>--batch</c>), of <c>--input-len</c> and <c>--output-len</c> tokens, against a server with the engine options.
    /// </summary>
    /// <exception cref="ArgumentException">Both --batch and --concurrency, or vllm bench serve options beside them; the message is one line.</exception>
    public static Serving.ServeBenchmark ReadServe(IRequestValues values, ModelSource source, GpuSpec gpu)
    {
        ArgumentNullException.ThrowIfNull(values);
        var batch = Get(values, ServeBatch);
        var concurrency = Get(values, Concurrency);
        if (batch is not null && concurrency is not null)
        {
            throw new ArgumentException("give at most one of --batch N (static batch) and --concurrency N (aiperf concurrency mode)");
        }

        if ((batch is not null || concurrency is not null) && (values.TryGet(RequestRate, out _) || values.TryGet(MaxConcurrency, out _) || values.TryGet(Burstiness, out _)))
        {
            throw new ArgumentException("--request-rate, --max-concurrency and --burstiness are vllm bench serve's: leave out --batch and --concurrency to use them");
        }

        var dataset = new Serving.RandomDataset { InputLen = Get(values, InputLength), OutputLen = Get(values, OutputLength), RangeRatio = Get(values, RangeRatio) };
        var seed = Get(values, Seed);
        var goodput = Get(values, Goodput);
        Serving.LoadClient client = batch is { } b
            ? new Serving.StaticBatchClient { Batch = b, Dataset = dataset, Seed = seed }
            : concurrency is { } c
                ? Serving.AiperfClient.Standard(c, dataset.InputLen, dataset.OutputLen) with
                {
                    NumRequests = Get(values, NumPrompts) ?? checked(20 * c),
                    Dataset = dataset,
                    Seed = seed,
                    Goodput = goodput,
                }
                : new Serving.BenchServeClient
                {
                    NumPrompts = Get(values, NumPrompts) ?? 1000,
                    RequestRate = Get(values, RequestRate),
                    MaxConcurrency = Get(values, MaxConcurrency),
                    Burstiness = Get(values, Burstiness),
                    Dataset = dataset,
                    Seed = seed,
                    Goodput = goodput,
                    IgnoreEos = true,
                };
        return new Serving.ServeBenchmark
        {
            Source = source,
            Gpu = gpu,
            Client = client,
            Server = new Serving.ServerSettings
            {
                MaxNumBatchedTokens = Get(values, MaxNumBatchedTokens),
                MaxNumSeqs = Get(values, MaxNumSeqs),
                GpuMemoryUtilization = Get(values, Utilization),
                Timer = ReadTimer(values, gpu),
            },
        };
    }

    /// <summary>
    /// The kernel timer the values ask for: measured tables (<c>--kernel-tables</c>) or the shipped fitted curves,
    /// scaled by a calibration file (<c>--calibration</c>); null when neither is given (the shipped timer).
    /// </summary>
    /// <exception cref="ArgumentException">The calibration was fitted on another GPU; the message is one line.</exception>
    /// <exception cref="InvalidDataException">The calibration file cannot be read; the message names it.</exception>
    public static Physical.IKernelTimer? ReadTimer(IRequestValues values, GpuSpec gpu)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(gpu);
        var timer = Get(values, KernelTables) is { } tables ? Physical.Kernels.KernelTimers.Expected(gpu, tables) : null;
        if (ReadCalibration(values, gpu) is not { } calibration)
        {
            return timer;
        }

        return calibration.Apply(timer ?? Physical.Kernels.KernelTimers.Expected(gpu));
    }

    /// <summary>Whether the values name a measured input (<see cref="MeasuredGroup"/>: <c>--log</c>, <c>--metrics</c>, <c>--bench</c>, <c>--trace</c>).</summary>
    public static bool HasMeasured(IRequestValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values.TryGet(Log, out _) || values.TryGet(Scrapes, out _) || values.TryGet(Bench, out _) || values.TryGet(Trace, out _);
    }

    /// <summary>The calibration file the values name (<c>--calibration</c>), checked against <paramref name="gpu"/>; null when none.</summary>
    /// <exception cref="ArgumentException">It was fitted on another GPU.</exception>
    public static Measured.Calibration? ReadCalibration(IRequestValues values, GpuSpec gpu)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(gpu);
        if (Get(values, Calibration) is not { } file)
        {
            return null;
        }

        var calibration = Measured.Calibration.Load(file);
        if (!string.Equals(calibration.Gpu, gpu.Name, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"--calibration {file} was fitted on {calibration.Gpu}, not {gpu.Name}");
        }

        return calibration;
    }

    private static bool ParseRate(string? text, out double value, out string error)
    {
        if (string.Equals(text?.Trim(), "inf", StringComparison.OrdinalIgnoreCase))
        {
            value = double.PositiveInfinity;
            error = string.Empty;
            return true;
        }

        return Quantity.TryParsePositive(text, out value, out error);
    }

    private static bool ParseRangeRatio(string? text, out double value, out string error)
    {
        error = string.Empty;
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out value) && value is >= 0 and < 1)
        {
            return true;
        }

        value = 0;
        error = $"must be in [0, 1), not '{text}'";
        return false;
    }

    private static bool OptionalPositive(string? text, out double? value, out string error)
    {
        var ok = Quantity.TryParsePositive(text, out var seconds, out error);
        value = ok ? seconds : null;
        return ok;
    }

    private static bool OptionalCount(string? text, out long? value, out string error)
    {
        var ok = Quantity.TryParse(text, out var count, out error);
        value = ok ? count : null;
        return ok;
    }

    /// <summary>The option's value in <paramref name="values"/>: what was given, else the option's one default.</summary>
    public static T Get<T>(IRequestValues values, RequestOption<T> option)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(option);
        return values.TryGet(option, out var value) ? value : option.Default;
    }

    private static RequestOption.Parser<string> DtypeParser(IReadOnlyList<string> accepted) => (string? text, out string value, out string error) =>
    {
        value = text ?? string.Empty;
        error = accepted.Contains(value) ? string.Empty : $"must be one of {string.Join(", ", accepted)}, not '{text}'";
        return error.Length == 0;
    };

    private static bool NonEmpty(string? text, out string? value, out string error)
    {
        value = text;
        error = string.IsNullOrWhiteSpace(text) ? "needs a value" : string.Empty;
        return error.Length == 0;
    }

    private static bool NonEmptyText(string? text, out string value, out string error)
    {
        value = text ?? string.Empty;
        error = string.IsNullOrWhiteSpace(text) ? "needs a value" : string.Empty;
        return error.Length == 0;
    }

    private static bool Fraction(string? text, out double? value, out string error)
    {
        var ok = Quantity.TryParseFraction(text, out var fraction, out error);
        value = ok ? fraction : null;
        return ok;
    }

    private static bool OnOff(string? text, out bool value, out string error)
    {
        error = string.Empty;
        switch (text)
        {
            case "on" or "true":
                value = true;
                return true;
            case "off" or "false":
                value = false;
                return true;
            default:
                value = false;
                error = $"takes off and/or on, not '{text}'";
                return false;
        }
    }

    private static bool ParseJsonObject(string? text, out JsonObject? value, out string error)
    {
        value = null;
        error = string.Empty;
        try
        {
            value = JsonNode.Parse(text ?? string.Empty) as JsonObject;
            if (value is null)
            {
                error = $"must be a JSON object, not {text}";
            }
        }
        catch (JsonException e)
        {
            error = $"is not valid JSON ({e.Message})";
        }

        return value is not null;
    }
}

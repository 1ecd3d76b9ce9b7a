using System.Text.Json;
using PerfNotebooks.Analysis;
using PerfNotebooks.Catalog;
using PerfNotebooks.Configuration;

namespace PerfNotebooks.Cli;

/// <summary><c>perfnb memory</c>: weights, KV cache and capacity per GPU.</summary>
public sealed class MemoryCommand : ICommand
{
    /// <inheritdoc />
    public string Name => "memory";

    /// <inheritdoc />
    public string Summary => "memory plan per GPU: weights by part, KV bytes per token, tokens and sequences that fit";

    /// <inheritdoc />
    public string Usage => "perfnb memory MODEL [--gpu NAME] [engine options] [--utilization F] [--context N] [--reserve-gb G] [--json]";

    /// <inheritdoc />
    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        .. EngineOptions.Specs, new("gpu", "NAME|FILE", "GPU (default H100-SXM)"),
        new("utilization", "F", "gpu_memory_utilization, the fraction the engine may use (default 0.9)"),
        new("context", "N", "context length to count concurrent sequences at"),
        new("reserve-gb", "G", "GB per GPU set aside for activations and overhead (default 0)"),
        new("json", null, "print JSON"),
    ];

    /// <inheritdoc />
    public int Run(ParsedOptions options, TextWriter output)
    {
        options.RequirePositionals(1, Usage);
        var model = options.Positionals[0];
        var metrics = ModelMetrics.Create(ModelSource.Resolve(ModelCatalog.Load(model), EngineOptions.Read(options)));
        var gpu = GpuCatalog.Find(options.Value("gpu") ?? "H100-SXM");
        var utilization = options.PositiveDouble("utilization", MemoryPlanner.DefaultUtilization);
        if (utilization > 1)
        {
            throw new CliException($"perfnb memory: --utilization is a fraction in (0, 1], not {utilization}");
        }

        var context = options.Value("context") is null ? 0 : options.PositiveInt("context", 0);
        var reserve = options.Value("reserve-gb") is null ? 0 : options.PositiveDouble("reserve-gb", 0) * 1e9;
        var plan = MemoryPlanner.Plan(metrics, gpu, utilization, context, reserve);
        if (options.Flag("json"))
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                model,
                gpu = gpu.Name,
                utilization,
                weights = plan.Weights.ToDictionary(w => w.Part, w => (double)w.Bytes),
                weight_bytes = (double)plan.WeightBytes,
                kv_bytes_per_token = (double)plan.KvBytesPerToken,
                usable_bytes = plan.UsableBytes,
                kv_cache_bytes = plan.KvCacheBytes,
                fits = plan.Fits,
                shortfall_bytes = plan.ShortfallBytes,
                tokens_that_fit = plan.TokensThatFit,
                context_length = context,
                sequences_that_fit = plan.SequencesThatFit,
            }, Format.IndentedJson));
            return 0;
        }

        var engine = metrics.Source.Engine;
        output.WriteLine($"{model} on {gpu.Name} ({Units.Bytes(gpu.MemoryBytes)}) | TP{engine.TensorParallel} PP{engine.PipelineParallel} | " +
                         $"gpu_memory_utilization {utilization}");
        output.WriteLine();
        var table = new TextTable("per GPU", "bytes");
        table.RightAligned.Add(1);
        foreach (var (part, bytes) in plan.Weights)
        {
            table.Row($"weights: {part}", Units.Bytes(bytes));
        }

        table.Rule();
        table.Row("weights", Units.Bytes(plan.WeightBytes));
        table.Row($"usable ({Format.Percent(utilization)})", Units.Bytes(plan.UsableBytes));
        if (plan.ReserveBytes > 0)
        {
            table.Row("reserve", Units.Bytes(plan.ReserveBytes));
        }

        table.Row("KV cache", plan.Fits ? Units.Bytes(plan.KvCacheBytes) : "none");
        table.Row("KV per token", Units.Bytes(plan.KvBytesPerToken));
        output.Write(table.ToString());
        if (!plan.Fits)
        {
            output.WriteLine($"does not fit: the weights need {Units.Bytes(plan.ShortfallBytes)} more than {Format.Percent(utilization)} of {Units.Bytes(gpu.MemoryBytes)}; " +
                             "try a larger --tp or --pp, or a GPU with more memory");
            return 0;
        }

        output.WriteLine($"KV cache holds {Format.Whole(plan.TokensThatFit)} tokens" +
                         (context > 0 ? $": {Format.Whole(plan.SequencesThatFit)} sequences of {Format.Whole(context)} tokens at once" : string.Empty));
        return 0;
    }
}

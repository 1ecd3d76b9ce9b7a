using System.Globalization;
using PerfNotebooks.Hardware;
namespace PerfNotebooks.Serving;

/// <summary>
/// Identical replicas of one layout on one GPU kind, each a vLLM instance serving its share of the request rate.
/// </summary>
/// <param name="Gpu">The GPU every rank runs on.</param>
/// <param name="Engine">Layout and dtypes of one replica (TP, PP, DP, EP, dtype, KV-cache dtype, quantization).</param>
/// <param name="Replicas">Replicas in the pool, at least 1.</param>
/// <param name="RequestRatePerReplica">Requests per second each replica serves (the total ÷ replicas).</param>
/// <param name="Predicted">One replica's simulation at <paramref name="RequestRatePerReplica"/>; its throughputs are per replica.</param>
public sealed record DeploymentPool(GpuSpec Gpu, EngineSettings Engine, int Replicas, double RequestRatePerReplica, DeploymentPrediction Predicted)
{
    /// <summary>GPUs in one replica: TP × PP × DP.</summary>
    public long GpusPerReplica => Engine.Gpus;

    /// <summary>GPUs in the pool: replicas × GPUs per replica.</summary>
    public long Gpus => checked(GpusPerReplica * Replicas);

    /// <summary>The layout in one word: <c>TP4 PP1 DP1</c>, <c>TP2 PP1 DP4 EP</c>.</summary>
    public string Layout => Describe(Engine);

    /// <summary>Output tokens per second per GPU at the pool's rate.</summary>
    public double OutputTokensPerSecondPerGpu => GpusPerReplica > 0 ? Predicted.OutputThroughput / GpusPerReplica : 0;

    /// <summary>A layout in one word, with dtypes and quantization when not the checkpoint's.</summary>
    public static string Describe(EngineSettings engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var text = string.Create(CultureInfo.InvariantCulture,
            $"TP{engine.TensorParallel} PP{engine.PipelineParallel} DP{engine.DataParallel}{(engine.EnableExpertParallel ? " EP" : string.Empty)}");
        text += engine.Dtype == "auto" ? string.Empty : " " + engine.Dtype;
        text += engine.Quantization is { } q ? " " + q : string.Empty;
        return text + (engine.KvCacheDtype == "auto" ? string.Empty : " kv " + engine.KvCacheDtype);
    }

    /// <summary><c>3 × H100-SXM TP4 PP1 DP1 (12 GPUs), 3.33 req/s each</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Replicas} × {Gpu.Name} {Layout} ({Gpus} GPUs), {Units.Significant(RequestRatePerReplica)} req/s each");
}

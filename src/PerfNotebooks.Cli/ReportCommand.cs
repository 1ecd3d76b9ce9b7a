using System.Collections.Immutable;
using System.Globalization;
using PerfNotebooks.Analysis;
using PerfNotebooks.Catalog;
using PerfNotebooks.Configuration;
using PerfNotebooks.Execution;
using PerfNotebooks.Rendering;

namespace PerfNotebooks.Cli;

/// <summary><c>perfnb report</c>: one self-contained HTML file with the model, breakdown, roofline, memory and sweep.</summary>
public sealed class ReportCommand : ICommand
{
    /// <inheritdoc />
    public string Name => "report";

    /// <inheritdoc />
    public string Summary => "write a self-contained HTML report (tables and interactive charts, opens offline)";

    /// <inheritdoc />
    public string Usage => "perfnb report MODEL [--gpu NAME] [engine options] [--prefill …] [--decode …] [--sweep-batch N,…] [--sweep-context N,…] -o FILE";

    /// <inheritdoc />
    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        .. EngineOptions.Specs,
        new("gpu", "NAME|FILE", "GPU (default H100-SXM)"),
        new("prefill", "TOKENS[:CONTEXT][xCOUNT]", "prefill requests of the step (default 2048 when no batch is given)", Repeatable: true),
        new("decode", "CONTEXT[xCOUNT]", "decode requests of the step (default 8192x32 when no batch is given)", Repeatable: true),
        new("sweep-batch", "N,…", "decode batch sizes to sweep (default 1,2,4,…,256)", Repeatable: true),
        new("sweep-context", "N,…", "decode context lengths to sweep (default 1k,4k,16k,64k)", Repeatable: true),
        new("no-sweep", null, "leave the sweep out"),
        new("output", "FILE", "where to write the report (default report.html)", Alias: 'o'),
    ];

    /// <inheritdoc />
    public int Run(ParsedOptions options, TextWriter output)
    {
        options.RequirePositionals(1, Usage);
        var model = options.Positionals[0];
        var engine = EngineOptions.Read(options);
        var metrics = ModelMetrics.Create(ModelSource.Resolve(ModelCatalog.Load(model), engine));
        var gpuName = options.Value("gpu") ?? "H100-SXM";
        var gpu = GpuCatalog.Find(gpuName);
        var batch = StepCommand.ReadBatch(options);
        if (batch.TotalRequests == 0)
        {
            batch = RequestSpec.DefaultStep;
        }

        SweepSpec? sweep = null;
        if (!options.Flag("no-sweep"))
        {
            sweep = new SweepSpec
            {
                Models = [model],
                Gpus = [gpuName],
                TensorParallel = [engine.TensorParallel],
                PipelineParallel = [engine.PipelineParallel],
                DataParallel = [engine.DataParallel],
                ExpertParallel = [engine.EnableExpertParallel],
                Dtypes = [engine.Dtype],
                KvCacheDtypes = [engine.KvCacheDtype],
                Quantizations = [engine.Quantization],
                Batches = [.. BatchShape.DecodeGrid(Counts(options, "sweep-batch", [1, 2, 4, 8, 16, 32, 64, 128, 256]), Counts(options, "sweep-context", [1024, 4096, 16384, 65536]))],
            };
        }

        var path = options.Value("output") ?? "report.html";
        var html = ReportHtml.Render(Report.Build(model, metrics, batch, gpu, sweep, batch.DecodeRequests > 0 ? batch.DecodeContextLength / batch.DecodeRequests : 0));
        File.WriteAllText(path, html);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {path} ({html.Length / 1e6:F1} MB, plotly.js inlined; opens offline)"));
        return 0;
    }

    private static ImmutableArray<long> Counts(ParsedOptions options, string name, long[] fallback) =>
        options.Values(name).Any()
            ? [.. options.Values(name).Select(v => RequestSpec.TryParseDecode(v, out var spec, out _) && spec.Count == 1
                ? spec.ContextLength
                : throw new CliException($"perfnb report: --{name} takes positive whole numbers (k = ×1024 allowed), not '{v}'"))]
            : [.. fallback];
}

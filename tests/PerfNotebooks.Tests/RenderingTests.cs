using System.Text.Json;
using PerfNotebooks.Analysis;
using PerfNotebooks.Hardware;
using PerfNotebooks.Rendering;
using PerfNotebooks.Vllm;
using PerfNotebooks.Vllm.Profiling;
namespace PerfNotebooks.Tests;

/// Approved snapshots of every renderer: figure JSON (stable) and table HTML.
public class RenderingTests
{
    private static readonly ModelMetrics Llama8b = Models.Catalog("llama-3.1-8b");
    private static readonly Batch Step = Batch.Prefill(2048).AddMany(4, 1, 4096, false);
    private static readonly GpuSpec H100 = GpuCatalog.Find("H100-SXM");

    private static SweepRow[] SmallSweep() => [.. Sweep.Run(new SweepSpec
    {
        Models = ["llama-3.1-8b"], Gpus = ["H100-SXM"], TensorParallel = [1, 3],
        Batches = [.. BatchShape.DecodeGrid([1, 16], [1024, 262144])],
    })];

    [Fact]
    public void Breakdown_figure_json()
    {
        var figure = PerfCharts.Breakdown(Llama8b.Flops(Step), Metric.Flops, Scope.PerGpu);

        Approvals.Verify(Indent(figure.ToJson()), "Figure.breakdown_flops");
    }

    [Fact]
    public void Roofline_figure_json()
    {
        var figure = PerfCharts.Roofline(Roofline.Analyze(Models.Catalog("llama-3.1-70b", new EngineSettings { TensorParallel = 4 }), Step, H100));

        Approvals.Verify(Indent(figure.ToJson()), "Figure.roofline");
    }

    [Fact]
    public void Sweep_figures_json()
    {
        var rows = SmallSweep();

        Approvals.Verify(Indent(PerfCharts.SweepLines(rows, "decode_batch", r => r.OutputTokensPerSecondPerGpu, "output tokens/s per GPU (tok/s)").ToJson()), "Figure.sweep_lines");
        Approvals.Verify(Indent(PerfCharts.SweepHeatmap(rows, "decode_batch", "decode_context", r => r.Mfu * 100, "MFU (%)").ToJson()), "Figure.sweep_heatmap");
    }

    [Fact]
    public void Memory_figure_json()
    {
        var plans = new[] { 1, 2 }.Select(tp => ($"TP{tp}", MemoryPlanner.Plan(Models.Catalog("llama-3.1-70b", new EngineSettings { TensorParallel = tp }), H100)));

        Approvals.Verify(Indent(PerfCharts.MemoryPlans(plans).ToJson()), "Figure.memory");
    }

    [Fact]
    public void Table_html_for_every_result_type()
    {
        var gptq = Models.Catalog("llama-3.1-8b", new EngineSettings { Dtype = "float16", Quantization = "bitsandbytes" });
        var tables = string.Join("\n\n", [
            HtmlTableRenderer.Render(Tables.ModelSummary(ModelSummary.Of("llama-3.1-8b", gptq.Source), gptq)),
            HtmlTableRenderer.Render(Tables.Breakdown(Llama8b.Flops(Step), Llama8b.ReadBytes(Step), Llama8b.WriteBytes(Step))),
            HtmlTableRenderer.Render(Tables.Roofline(PerfModel.From("llama-3.1-70b", Models.Catalog("llama-3.1-70b", new EngineSettings { TensorParallel = 4 })).Roofline(Step, H100))),
            HtmlTableRenderer.Render(Tables.Memory(MemoryPlanner.Plan(Llama8b, H100, contextLength: 8192))),
            HtmlTableRenderer.Render(Tables.Memory(MemoryPlanner.Plan(Models.Catalog("llama-3.1-405b"), H100))),
            HtmlTableRenderer.Render(Tables.Sweep(SmallSweep())),
            HtmlTableRenderer.Render(Tables.Gpu(H100)),
            HtmlTableRenderer.Render(Tables.Profiler(ProfilerConfig.Validate("""{"profiler": "torch", "torch_profiler_dir": "~/t", "max_iterations": 2}""", new ProfilerEnvironment("/home/u", "/w")))),
        ]);

        Approvals.Verify(tables.Replace("</tr>", "</tr>\n", StringComparison.Ordinal), "Html.tables");
    }

    [Fact]
    public void Html_escapes_text_from_configs()
    {
        var html = HtmlTableRenderer.Render(Tables.ModelSummary(ModelSummary.Of("<script>x</script>", Llama8b.Source), Llama8b));

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;x&lt;/script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_is_self_contained_with_one_plotly_and_every_section()
    {
        var report = Report.Build("llama-3.1-8b", Llama8b, Step, H100, new SweepSpec { Models = ["llama-3.1-8b"], Gpus = ["H100-SXM"], Batches = [.. BatchShape.DecodeGrid([1, 8], [4096])] }) with
        {
            Serve = PerfModel.Load("llama-3.1-8b").Serve(H100, Serving.AiperfClient.Standard(4, 512, 64)),
        };

        var html = ReportHtml.Render(report);

        Assert.Equal(1, Count(html, PlotlyJs.Script[..200]));
        Assert.DoesNotContain("<script src=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<link ", html, StringComparison.Ordinal);
        Assert.Equal(9, Count(html, "<div class=\"figure\""));
        foreach (var section in new[] { "<h2>Model</h2>", "<h2>Step breakdown</h2>", "<h2>Roofline</h2>", "<h2>Memory per GPU</h2>", "<h2>Serving</h2>", "<h2>Sweep</h2>", "<h2>GPU</h2>" })
        {
            Assert.Contains(section, html, StringComparison.Ordinal);
        }
    }

    private static int Count(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static string Indent(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(doc.RootElement, IndentOptions) + "\n";
    }

    private static readonly JsonSerializerOptions IndentOptions = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}

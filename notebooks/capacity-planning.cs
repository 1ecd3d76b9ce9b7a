#:project ../src/PerfNotebooks.Rendering/PerfNotebooks.Rendering.csproj
// Capacity planning, as a file-based app: the cheapest deployment of Llama-3.1-70B for 10 req/s (2,048 in, 256 out)
// within p90 TTFT 1 s and TPOT 50 ms, then how many 8k-token sequences it holds at once on H100, H200 and MI300X at
// TP 1, 2, 4 and 8. Same calls as capacity-planning.ipynb. Run: dotnet run notebooks/capacity-planning.cs [-- OUTPUT.html]
using System.Collections.Immutable;
using PerfNotebooks;
using PerfNotebooks.Analysis;
using PerfNotebooks.Hardware;
using PerfNotebooks.Rendering;
using PerfNotebooks.Serving;
var output = args.Length > 0 ? args[0] : "capacity-planning.html";
var page = new HtmlPage("Capacity planning: Llama-3.1-70B");

var plan = PerfModel.Load("llama-3.1-70b").Plan(new PlannerRequest
{
    RequestRate = 10,
    InputTokens = 2048,
    OutputTokens = 256,
    Targets = new PlannerTargets { TtftMs = 1000, TpotMs = 50 },
    GpuCostPerHour = ImmutableDictionary.CreateRange(StringComparer.OrdinalIgnoreCase,
        new Dictionary<string, double> { ["H100-SXM"] = 2.5, ["H200"] = 3.5, ["B200"] = 5.5 }),
    Disaggregated = true,
});
Console.WriteLine(plan);
page.Heading("The cheapest deployment for 10 req/s").Text(plan.Paragraph)
    .Html(HtmlTableRenderer.Render(PlannerTables.Deployments(plan)))
    .Figure(PerfCharts.PlannerPareto(plan)).Figure(PerfCharts.PlannerLatencies(plan));

var model = PerfModel.Load("llama-3.1-70b");
const long context = 8192;
page.Heading("Why: memory per GPU and maximum concurrency");
page.Text("Weights and KV cache per GPU at gpu_memory_utilization 0.9 (vLLM's default). A layout that does not fit says by how much; concurrency is what the KV cache holds across the replica's GPUs.");
foreach (var gpuName in new[] { "H100-SXM", "H200", "MI300X" })
{
    var gpu = GpuCatalog.Find(gpuName);
    var plans = new List<(string, MemoryPlan)>();
    foreach (var tp in new[] { 1, 2, 4, 8 })
    {
        var memory = model.With(new EngineSettings { TensorParallel = tp }).Memory(gpu, contextLength: context);
        plans.Add(($"TP{tp}", memory));
        var line = memory.Fits
            ? $"{gpuName} TP{tp}: {memory.SequencesThatFit} sequences of {context} tokens ({memory.TokensThatFit:N0} KV tokens)"
            : $"{gpuName} TP{tp}: does not fit, {Units.Bytes(memory.ShortfallBytes)} short";
        Console.WriteLine(line);
    }

    page.Heading(gpuName).Figure(PerfCharts.MemoryPlans(plans)).Html(HtmlTableRenderer.Render(Tables.Memory(plans.First(p => p.Item2.Fits).Item2)));
}

// Serving: a static batch of 32 requests (2,048 in, 256 out) on two H200s with an fp8 KV cache; expected beside bound.
var tp2 = model.With(new EngineSettings { TensorParallel = 2, KvCacheDtype = "fp8" });
var serve = tp2.Serve(GpuCatalog.Find("H200"), new StaticBatchClient { Batch = 32, Dataset = RandomDataset.Fixed(2048, 256) });
Console.WriteLine(serve.ToString().Split('\n')[0]);
page.Heading("Serving on two H200s").Text(serve.ToString().Split('\n')[0]).Html(HtmlTableRenderer.Render(Tables.Serve(serve)));

Console.WriteLine($"wrote {page.Save(output)}");

#:project ../src/PerfNotebooks.Rendering/PerfNotebooks.Rendering.csproj
// Capacity planning, as a file-based app: how many 8k-token sequences Llama-3.1-70B serves at once on H100, H200 and
// MI300X at TP 1, 2, 4 and 8, then what 32 requests get on two H200s. Same calls as capacity-planning.ipynb. Run: dotnet run notebooks/capacity-planning.cs [-- OUTPUT.html]
using PerfNotebooks;
using PerfNotebooks.Analysis;
using PerfNotebooks.Hardware;
using PerfNotebooks.Rendering;
var output = args.Length > 0 ? args[0] : "capacity-planning.html";
var model = PerfModel.Load("llama-3.1-70b");
const long context = 8192;
var page = new HtmlPage("Capacity planning: Llama-3.1-70B, 8k-token sequences");
page.Text("Weights and KV cache per GPU at gpu_memory_utilization 0.9 (vLLM's default). A layout that does not fit says by how much; concurrency is what the KV cache holds across the replica's GPUs.");
foreach (var gpuName in new[] { "H100-SXM", "H200", "MI300X" })
{
    var gpu = GpuCatalog.Find(gpuName);
    var plans = new List<(string, MemoryPlan)>();
    foreach (var tp in new[] { 1, 2, 4, 8 })
    {
        var plan = model.With(new EngineSettings { TensorParallel = tp }).Memory(gpu, contextLength: context);
        plans.Add(($"TP{tp}", plan));
        var line = plan.Fits
            ? $"{gpuName} TP{tp}: {plan.SequencesThatFit} sequences of {context} tokens ({plan.TokensThatFit:N0} KV tokens)"
            : $"{gpuName} TP{tp}: does not fit, {Units.Bytes(plan.ShortfallBytes)} short";
        Console.WriteLine(line);
    }

    page.Heading(gpuName).Figure(PerfCharts.MemoryPlans(plans)).Html(HtmlTables.MemoryPlan(plans.First(p => p.Item2.Fits).Item2));
}

// Serving: a static batch of 32 requests (2,048 in, 256 out) on two H200s with an fp8 KV cache; expected beside bound.
var tp2 = model.With(new EngineSettings { TensorParallel = 2, KvCacheDtype = "fp8" });
var serve = ServingSimulator.Run(ServeRequest.StaticBatch(tp2.Source, GpuCatalog.Find("H200"), batch: 32, inputTokens: 2048, outputTokens: 256));
Console.WriteLine(serve.ToString().Split('\n')[0]);
page.Heading("Serving on two H200s").Text(serve.ToString().Split('\n')[0]).Html(HtmlTableRenderer.Render(Tables.Serve(serve)));

Console.WriteLine($"wrote {page.Save(output)}");

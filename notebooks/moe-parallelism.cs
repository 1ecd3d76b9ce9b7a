#:project ../src/PerfNotebooks.Rendering/PerfNotebooks.Rendering.csproj
// MoE and parallelism, as a file-based app: Qwen3-235B-A22B on 8 H100s as TP8, DP2×TP4, and DP2×TP4 with expert
// parallelism. Same calls as moe-parallelism.ipynb. Run: dotnet run notebooks/moe-parallelism.cs [-- OUTPUT.html]
using PerfNotebooks;
using PerfNotebooks.Analysis;
using PerfNotebooks.Hardware;
using PerfNotebooks.Rendering;
var output = args.Length > 0 ? args[0] : "moe-parallelism.html";
var qwen = PerfModel.Load("qwen3-235b-a22b");
var gpu = GpuCatalog.Find("H100-SXM");
var step = Batch.Decodes(64, contextLength: 8192);
var layouts = new (string Name, EngineSettings Engine)[]
{
    ("TP8", new EngineSettings { TensorParallel = 8 }),
    ("DP2 x TP4", new EngineSettings { TensorParallel = 4, DataParallel = 2 }),
    ("DP2 x TP4 + EP", new EngineSettings { TensorParallel = 4, DataParallel = 2, EnableExpertParallel = true }),
};

var page = new HtmlPage("MoE and parallelism: Qwen3-235B-A22B on 8 H100s");
page.Text("64 decodes at 8,192 tokens of context. The FFN is split over DP×TP ranks: by tensor parallelism (each rank holds a slice of every expert) or, with EP, by expert parallelism (each rank holds whole experts and sees a share of the routed tokens).");
var plans = new List<(string, MemoryPlan)>();
foreach (var (name, engine) in layouts)
{
    var model = qwen.With(engine);
    var reads = model.ReadBytes(step);
    var roofline = model.Roofline(step, gpu);
    var routed = reads.Where(t => t.Name.StartsWith("routed_", StringComparison.Ordinal)).Aggregate((Int128)0, (s, t) => s + t.Value);
    Console.WriteLine($"{name}: routed-expert reads {Units.Bytes(routed)} per GPU, step {Units.Seconds(roofline.StepSeconds)}");
    page.Heading(name)
        .Text($"routed-expert reads {Units.Bytes(routed)} per GPU; step {Units.Seconds(roofline.StepSeconds)} ({roofline.Step.Bound}-bound).")
        .Figure(PerfCharts.Breakdown(reads, Metric.ReadBytes, Scope.PerGpu))
        .Html(HtmlTableRenderer.Render(Tables.Roofline(roofline)));
    plans.Add((name, model.Memory(gpu, contextLength: 8192)));
}

page.Heading("Memory per GPU").Figure(PerfCharts.MemoryPlans(plans));
Console.WriteLine($"wrote {page.Save(output)}");

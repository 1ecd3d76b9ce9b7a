#:project ../src/PerfNotebooks.Rendering/PerfNotebooks.Rendering.csproj
// Quickstart, as a file-based app: one model, one step, its breakdown and roofline. Same calls as quickstart.ipynb.
// Run: dotnet run notebooks/quickstart.cs [-- OUTPUT.html]
using PerfNotebooks;
using PerfNotebooks.Analysis;
using PerfNotebooks.Hardware;
using PerfNotebooks.Rendering;
var output = args.Length > 0 ? args[0] : "quickstart.html";

// 1. A model: Llama-3.1-8B from the bundled catalog, one GPU, bf16 (the checkpoint's dtype).
var model = PerfModel.Load("llama-3.1-8b");

// 2. A step: one 2,048-token prompt being prefilled while 16 requests decode at 4,096 tokens of context.
var step = Batch.Prefill(2048).WithDecodes(16, contextLength: 4096);
var (flops, reads, writes) = (model.Flops(step), model.ReadBytes(step), model.WriteBytes(step));
Console.WriteLine($"FLOPs {Units.Flops(flops.Total)}, read {Units.Bytes(reads.Total)}, written {Units.Bytes(writes.Total)}");

// 3. The roofline of that step on an H100 SXM.
var roofline = model.Roofline(step, GpuCatalog.Find("H100-SXM"));
var timing = $"expected step time {Units.Seconds(roofline.ExpectedSeconds)}, roofline bound {Units.Seconds(roofline.Physical?.BoundSeconds ?? roofline.StepSeconds)} ({roofline.Step.Bound.ToString().ToLowerInvariant()}-bound)";
Console.WriteLine(timing);

var page = new HtmlPage("Quickstart: Llama-3.1-8B, one step on an H100")
    .Heading("Breakdown")
    .Text($"FLOPs {Units.Flops(flops.Total)}, read {Units.Bytes(reads.Total)}, written {Units.Bytes(writes.Total)} per GPU.")
    .Figure(PerfCharts.Breakdown(flops, Metric.Flops, Scope.PerGpu))
    .Figure(PerfCharts.Breakdown(reads, Metric.ReadBytes, Scope.PerGpu))
    .Html(HtmlTableRenderer.Render(Tables.Breakdown(flops, reads, writes)))
    .Heading("Roofline")
    .Text($"{Units.Significant(roofline.Step.ArithmeticIntensity)} FLOP/B (ridge {Units.Significant(roofline.Ridge)}); {timing}.")
    .Figure(PerfCharts.Roofline(roofline))
    .Html(HtmlTableRenderer.Render(Tables.Roofline(roofline)));
Console.WriteLine($"wrote {page.Save(output)}");

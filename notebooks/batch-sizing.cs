#:project ../src/PerfNotebooks.Rendering/PerfNotebooks.Rendering.csproj
// Batch sizing, as a file-based app: sweep decode batch and context for Llama-3.1-70B on 4 H100s and find where
// decode turns compute-bound. Same calls as batch-sizing.ipynb. Run: dotnet run notebooks/batch-sizing.cs [-- OUTPUT.html]
using PerfNotebooks;
using PerfNotebooks.Analysis;
using PerfNotebooks.Hardware;
using PerfNotebooks.Rendering;

var output = args.Length > 0 ? args[0] : "batch-sizing.html";
var spec = new SweepSpec
{
    Models = ["llama-3.1-70b"],
    Gpus = ["H100-SXM"],
    TensorParallel = [4],
    Batches = [.. BatchShape.DecodeGrid([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024], [512, 2048, 8192, 32768])],
};
var rows = Sweep.Run(spec).ToList();
var ridge = GpuCatalog.Find("H100-SXM").Ridge(ComputeDtype.Bf16);

var page = new HtmlPage("Batch sizing: Llama-3.1-70B decode on 4 H100s");
page.Text($"Decode reads every weight once per step whatever the batch, so FLOPs per byte grow with the batch until the step crosses the ridge point ({Units.Significant(ridge)} FLOP/B) and turns compute-bound. Long contexts add KV-cache reads that grow with the batch too, so they never get there.");
foreach (var context in spec.Batches.Select(b => b.DecodeContext).Distinct())
{
    // Config.Error is null: a valid layout; whether the batch's KV cache fits in memory is a separate question (Fits).
    var crossing = rows.FirstOrDefault(r => r.Batch.DecodeContext == context && r.Config.Error is null && r.Bound == Bound.Compute);
    var line = crossing.Config is null
        ? $"context {context}: memory-bound at every batch size swept"
        : $"context {context}: compute-bound from batch {crossing.Batch.DecodeBatch} ({Units.Significant(crossing.ArithmeticIntensity)} FLOP/B)" +
          (crossing.Fits ? string.Empty : ", but that batch's KV cache does not fit in memory");
    Console.WriteLine(line);
    page.Text(line + ".");
}

var fitting = rows.Where(r => r.Fits).ToList();
page.Figure(PerfCharts.SweepLines(fitting, "decode_batch", r => r.ArithmeticIntensity, "arithmetic intensity (FLOP/B)"))
    .Figure(PerfCharts.SweepLines(fitting, "decode_batch", r => r.OutputTokensPerSecondPerGpu, "output tokens/s per GPU (tok/s)"))
    .Figure(PerfCharts.SweepHeatmap(rows.Where(r => r.Error is null), "decode_batch", "decode_context", r => r.Seconds * 1e3, "step time (ms)"))
    .Html(HtmlTableRenderer.Render(Tables.Sweep(rows)));
var best = Sweep.Best(rows, r => r.TimePerOutputTokenSeconds <= 0.050, r => r.OutputTokensPerSecondPerGpu);
if (best is { } pick)
{
    Console.WriteLine($"best under 50 ms per token: {pick.Batch}, {Units.Si(pick.OutputTokensPerSecondPerGpu, "tok/s")} per GPU");
    page.Text($"Best point with TPOT ≤ 50 ms that fits in memory: {pick.Batch}, {Units.Si(pick.OutputTokensPerSecondPerGpu, "tok/s")} per GPU.");
}

Console.WriteLine($"wrote {page.Save(output)}");

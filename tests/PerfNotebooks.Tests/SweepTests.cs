using System.Text.Json;
using System.Threading;
using PerfNotebooks.Analysis;
using PerfNotebooks.Hardware;

namespace PerfNotebooks.Tests;

public class SweepTests
{
    private static readonly SweepSpec Spec = new()
    {
        Models = ["llama-3.1-70b", "mixtral-8x7b"],
        Gpus = ["H100-SXM", "MI300X"],
        TensorParallel = [1, 4, 7],
        ExpertParallel = [false, true],
        Batches = [.. BatchShape.DecodeGrid([1, 64], [4096, 32768]), BatchShape.Prefill(8192)],
    };

    [Fact]
    public void Every_point_is_a_row_and_invalid_points_carry_the_reason()
    {
        var rows = Sweep.Run(Spec).ToList();

        Assert.Equal(2 * 2 * 3 * 2 * 5, rows.Count);
        Assert.Equal(Spec.PointCount, rows.Count);
        Assert.All(rows.Where(r => r.Config.Engine.TensorParallel == 7),
            r => Assert.StartsWith("Total number of attention heads", r.Error, StringComparison.Ordinal));
        Assert.All(rows.Where(r => r.Config.Model == "llama-3.1-70b" && r.Config.Engine is { EnableExpertParallel: true, TensorParallel: not 7 }),
            r => Assert.StartsWith("Number of experts in the model must be greater than 0", r.Error, StringComparison.Ordinal));
        Assert.All(rows.Where(r => r.Config.Model == "llama-3.1-70b" && r.Config.Gpu == "H100-SXM" && r.Config.Engine is { TensorParallel: 1, EnableExpertParallel: false }),
            r => Assert.False(r.Fits));
        Assert.Contains(rows, r => r.Error is null && r.Fits);
    }

    [Fact]
    public void Rows_match_the_roofline_report_of_the_same_point()
    {
        var row = Sweep.Run(Spec).First(r => r.Error is null && r.Batch == BatchShape.Decode(64, 4096) && r.Config.Engine.TensorParallel == 4);
        var metrics = Models.Catalog(row.Config.Model, row.Config.Engine);

        var report = Roofline.Analyze(metrics, row.Batch.ToContext(), GpuCatalog.Find(row.Config.Gpu));

        Assert.Equal(report.Step.Flops, row.Estimate.Flops);
        Assert.Equal(report.Step.Bytes, row.Estimate.Bytes);
        Assert.Equal(report.StepSeconds, row.Estimate.ComputeSeconds + row.Estimate.CommunicationSeconds, 9);
        // The row's time is the physical book's expected time, the roofline bound beside it.
        var physical = new PerfNotebooks.Physical.StepModel(PerfNotebooks.Physical.PhysicalModel.From(metrics.Source), GpuCatalog.Find(row.Config.Gpu)).Estimate(row.Batch.ToContext());
        Assert.Equal(physical.ExpectedSeconds, row.Seconds, 12);
        Assert.Equal(physical.BoundSeconds, row.Estimate.BoundSeconds, 12);
        Assert.True(row.Estimate.BoundSeconds < row.Seconds);
        Assert.Equal(64 / row.Seconds / 4, row.OutputTokensPerSecondPerGpu, 6);
    }

    [Fact]
    public void Parallel_streaming_keeps_grid_order()
    {
        var spec = Spec with
        {
            Models = ["llama-3.1-8b"],
            Gpus = ["H100-SXM"],
            TensorParallel = [1],
            ExpertParallel = [false],
            Batches = [.. BatchShape.DecodeGrid(Enumerable.Range(1, 300).Select(b => (long)b), [1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072])]
        };

        var rows = Sweep.Run(spec).ToList();

        Assert.Equal(spec.Batches, rows.Select(r => r.Batch));
    }

    [Fact]
    public void Best_point_under_a_latency_constraint()
    {
        var rows = Sweep.Run(Spec with { Batches = [.. BatchShape.DecodeGrid([1, 8, 32, 128, 512], [8192])] }).ToList();

        var best = Sweep.Best(rows, r => r.TimePerOutputTokenSeconds <= 0.050, r => r.OutputTokensPerSecondPerGpu);

        Assert.NotNull(best);
        Assert.True(best.Value.TimePerOutputTokenSeconds <= 0.050);
        Assert.All(rows.Where(r => r.Error is null && r.TimePerOutputTokenSeconds <= 0.050),
            r => Assert.True(r.OutputTokensPerSecondPerGpu <= best.Value.OutputTokensPerSecondPerGpu));
    }

    [Fact]
    public void Fewest_gpus_that_fit()
    {
        var rows = Sweep.Run(Spec with { Models = ["llama-3.1-70b"], TensorParallel = [1, 2, 4, 8], ExpertParallel = [false], Batches = [BatchShape.Decode(1, 4096)] });

        var fewest = Sweep.FewestGpusThatFit(rows);

        Assert.Equal(1, fewest!.Value.Gpus);                // 70B in bf16 (141 GB) fits one 192 GB MI300X
        Assert.Equal("MI300X", fewest.Value.Config.Gpu);
    }

    [Fact]
    public void Csv_and_json_lines_carry_the_same_columns()
    {
        var rows = Sweep.Run(Spec with { Models = ["llama-3.1-8b"], Gpus = ["H100-SXM"], TensorParallel = [1, 7], ExpertParallel = [false], Batches = [BatchShape.Decode(8, 2048)] }).ToList();
        var csv = new StringWriter();
        var jsonl = new StringWriter();

        Sweep.WriteCsv(rows, csv);
        Sweep.WriteJsonLines(rows, jsonl);

        Approvals.Verify(csv.ToString(), "Sweep.csv");
        var lines = jsonl.ToString().TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        using var ok = JsonDocument.Parse(lines[0]);
        Assert.Equal(Sweep.CsvHeader.Split(','), ok.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(rows[0].Estimate.Flops.ToString(System.Globalization.CultureInfo.InvariantCulture), ok.RootElement.GetProperty("flops").GetRawText());
        using var bad = JsonDocument.Parse(lines[1]);
        Assert.Equal(JsonValueKind.Null, bad.RootElement.GetProperty("flops").ValueKind);
        Assert.StartsWith("Total number of attention heads (32)", bad.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_numbers_round_trip_to_six_significant_digits()
    {
        var spec = Spec with { Batches = [.. BatchShape.DecodeGrid([1, 3, 77, 1000], [1, 999, 123_457]), BatchShape.Prefill(1_000_000)] };
        var rows = Sweep.Run(spec).Where(r => r.Config.Error is null).ToList();
        var csv = new StringWriter();
        Sweep.WriteCsv(rows, csv);
        var columns = Sweep.CsvHeader.Split(',');
        var lines = csv.ToString().TrimEnd('\n').Split('\n').Skip(1).ToList();

        for (var i = 0; i < rows.Count; i++)
        {
            var cells = lines[i].Split(',');
            foreach (var (name, expected) in new[] { ("step_seconds", rows[i].Seconds), ("tokens_per_second", rows[i].TokensPerSecond), ("mfu", rows[i].Mfu), ("intensity_flop_per_byte", rows[i].ArithmeticIntensity) })
            {
                var actual = double.Parse(cells[Array.IndexOf(columns, name)], System.Globalization.CultureInfo.InvariantCulture);
                Assert.True(Math.Abs(actual - expected) <= Math.Abs(expected) * 5e-6, $"{name}: {actual} vs {expected}");
            }
        }

        Assert.Equal(spec.PointCount, Sweep.WriteCsv(spec, TextWriter.Null));
    }

    [Fact]
    public void Cancellation_stops_the_sweep()
    {
        using var cancel = new CancellationTokenSource();
        var spec = Spec with { Batches = [.. BatchShape.DecodeGrid(Enumerable.Range(1, 1000).Select(b => (long)b), Enumerable.Range(1, 100).Select(c => (long)c * 100))] };
        var seen = 0;

        Assert.Throws<OperationCanceledException>(() =>
        {
            foreach (var _ in Sweep.Run(spec, cancellation: cancel.Token))
            {
                if (++seen == 10_000)
                {
                    cancel.Cancel();
                }
            }
        });
        Assert.True(seen < spec.PointCount);
    }

    [Fact]
    public void Progress_reaches_the_total()
    {
        var reports = new List<SweepProgress>();
        var progress = new SynchronousProgress(reports.Add);

        var count = Sweep.Run(Spec, progress).Count();

        Assert.Equal(new SweepProgress(count, count), reports[^1]);
    }

    private sealed class SynchronousProgress(Action<SweepProgress> report) : IProgress<SweepProgress>
    {
        public void Report(SweepProgress value) => report(value);
    }
}

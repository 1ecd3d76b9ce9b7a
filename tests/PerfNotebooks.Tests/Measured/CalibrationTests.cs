using System.Collections.Immutable;
using PerfNotebooks.Hardware;
using PerfNotebooks.Measured;
using PerfNotebooks.Requests;
namespace PerfNotebooks.Tests.Measured;

public class CalibrationTests
{
    // A GPU that runs GEMMs 30 % slower, attention 30 % faster and elementwise kernels 60 % slower than the shipped
    // curves say, measured with ±3 % noise: what a real log of a different GPU or engine version looks like to the model.
    private static readonly Dictionary<KernelCategory, double> Truth = new()
    {
        [KernelCategory.Gemm] = 1.3,
        [KernelCategory.Attention] = 0.7,
        [KernelCategory.Elementwise] = 1.6,
    };

    private static List<(CategoryEstimate Expected, double MeasuredSeconds)> Steps(StepEstimates estimates, int seed, int count)
    {
        var random = new Random(seed);
        var steps = new List<(CategoryEstimate, double)>();
        for (var i = 0; i < count; i++)
        {
            var batch = Batch.Empty;
            if (random.Next(3) > 0)
            {
                batch = batch.WithPrefill(random.Next(64, 4096));
            }

            batch = batch.WithDecodes(random.Next(1, 128), random.Next(256, 16384));
            var e = estimates.Estimate(batch);
            var truth = e.OverheadSeconds + KernelClassifier.All.Sum(c => e.Seconds(c) * Truth.GetValueOrDefault(c, 1.0));
            steps.Add((e, truth * (1 + ((random.NextDouble() - 0.5) * 0.06))));
        }

        return steps;
    }

    [Fact]
    public void A_calibration_fitted_on_one_set_of_steps_reduces_the_error_on_another()
    {
        var model = PerfModel.Load("llama-3.1-8b");
        var gpu = GpuCatalog.Find("H100-SXM");
        var plain = model.Expected(gpu);
        var calibration = CalibrationFit.FromSteps(Steps(plain, seed: 1, count: 40), gpu.Name, "test");

        var heldOut = Steps(plain, seed: 2, count: 40);
        var calibrated = model.Expected(gpu, calibration);
        double Rms(Func<Batch, double> expected, IEnumerable<(Batch Batch, double Measured)> steps) =>
            Math.Sqrt(steps.Average(s => Math.Pow((expected(s.Batch) - s.Measured) / s.Measured, 2)));

        // The held-out steps, re-estimated from their batches through the calibrated timer (not the fit's own algebra).
        var random = new Random(2);
        var batches = new List<(Batch, double)>();
        for (var i = 0; i < heldOut.Count; i++)
        {
            var batch = Batch.Empty;
            if (random.Next(3) > 0)
            {
                batch = batch.WithPrefill(random.Next(64, 4096));
            }

            batch = batch.WithDecodes(random.Next(1, 128), random.Next(256, 16384));
            random.NextDouble();
            batches.Add((batch, heldOut[i].MeasuredSeconds));
        }

        var before = Rms(b => plain.Estimate(b).ExpectedSeconds, batches);
        var after = Rms(b => calibrated.Estimate(b).ExpectedSeconds, batches);
        Assert.InRange(before, 0.15, 1.0);
        Assert.True(after < before / 3, $"held-out rms error {before:P1} → {after:P1}");
        Assert.InRange(after, 0, 0.04);

        // The factors come back near the truth, and the fit reports its own residual.
        Assert.Equal(1.3, calibration.Scale(KernelCategory.Gemm), 1);
        Assert.InRange(calibration.RmsRelativeErrorAfter, 0, 0.04);
        Assert.True(calibration.RmsRelativeErrorBefore > 0.15);
    }

    [Fact]
    public void A_trace_calibration_makes_the_expected_categories_the_measured_ones()
    {
        var model = PerfModel.Load(Path.Combine(Paths.MeasuredFixtures, "llama-2-layer.config.json"), new EngineSettings { TensorParallel = 2 });
        var gpu = GpuCatalog.Find("H100-SXM");
        var trace = ProfilerTrace.Load(Path.Combine(Paths.MeasuredFixtures, "llm-tp2-steps.pt.trace.json"));
        var decode = Batch.Decodes(1, 1024);
        var comparison = model.Measured(trace, gpu, decode);
        var decodes = trace.Steps.Skip(1).Select(s => (comparison.Expected, s.CategorySeconds)).ToList();
        var calibration = CalibrationFit.FromCategories(decodes, gpu.Name);

        var after = model.Measured(trace, gpu, decode, calibration);
        foreach (var c in new[] { KernelCategory.Gemm, KernelCategory.Attention, KernelCategory.Elementwise, KernelCategory.Collective })
        {
            Assert.Equal(trace.Steps[1].Seconds(c), after.Expected.Seconds(c), 9);
        }
    }

    [Fact]
    public void Calibration_file_round_trips_and_applies_to_serve_and_roofline()
    {
        var file = Path.Combine(Path.GetTempPath(), $"perfnb-cal-{Guid.NewGuid():N}.json");
        try
        {
            var calibration = new Calibration
            {
                Gpu = "H100-SXM",
                Engine = "vLLM 0.11.0",
                Scales = new Dictionary<KernelCategory, double> { [KernelCategory.Gemm] = 2.0 }.ToImmutableDictionary(),
                Steps = 3,
                RmsRelativeErrorBefore = 0.5,
                RmsRelativeErrorAfter = 0.1,
            };
            calibration.Save(file);
            var read = Calibration.Load(file);
            Assert.Equal(2.0, read.Scale(KernelCategory.Gemm));
            Assert.Equal(1.0, read.Scale(KernelCategory.Attention));
            Assert.Equal(("vLLM 0.11.0", 3L, 0.1), (read.Engine, read.Steps, read.RmsRelativeErrorAfter));

            // GEMMs twice as slow: a decode-heavy step's expected time grows by its GEMM time exactly.
            var model = PerfModel.Load("llama-3.1-8b");
            var gpu = GpuCatalog.Find("H100-SXM");
            var batch = Batch.Decodes(8, 4096);
            var plain = model.Expected(gpu).Estimate(batch);
            var scaled = model.Expected(gpu, read).Estimate(batch);
            Assert.Equal(plain.ExpectedSeconds + plain.Seconds(KernelCategory.Gemm), scaled.ExpectedSeconds, 12);
            var roofline = model.Roofline(batch, new GpuChoice { Gpu = gpu }, read.Apply(PerfNotebooks.Physical.Kernels.KernelTimers.Expected(gpu)));
            Assert.Equal(scaled.ExpectedSeconds, roofline.ExpectedSeconds, 12);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("{\"scales\": {}}", "field 'gpu' (a GPU name) is missing")]
    [InlineData("{\"gpu\": \"H100-SXM\"}", "field 'scales'")]
    [InlineData("{\"gpu\": \"H100-SXM\", \"scales\": {\"gemms\": 1}}", "scales.gemms is not a category")]
    [InlineData("{\"gpu\": \"H100-SXM\", \"scales\": {\"gemm\": -1}}", "scales.gemm must be a positive number, not -1")]
    [InlineData("{\"gpu\": \"H100-SXM\", \"scales\": {\"gemm\": \"x\"}}", "scales.gemm must be a positive number, not \"x\"")]
    [InlineData("{", "not JSON")]
    public void A_bad_calibration_file_is_one_line_naming_file_and_field(string json, string expected)
    {
        var file = Path.Combine(Path.GetTempPath(), $"perfnb-cal-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(file, json);
            var e = Assert.Throws<InvalidDataException>(() => Calibration.Load(file));
            Assert.StartsWith(file + ": ", e.Message, StringComparison.Ordinal);
            Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}

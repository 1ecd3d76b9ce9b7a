using System.Text.Json.Nodes;
using PerfNotebooks.Physical.Kernels;

namespace PerfNotebooks.Tests.Kernels;

public class CalibrationTests
{
    private static readonly string Shipped = Path.Combine(Paths.RepositoryRoot, "src", "PerfNotebooks", "Physical", "Kernels", "calibration.json");

    [Fact]
    public void Shipped_calibration_equals_a_fresh_fit_of_the_measured_tables()
    {
        var fresh = CalibrationFitter.Fit(Paths.SiliconSystems);
        if (Environment.GetEnvironmentVariable("PERFNB_REGENERATE_CALIBRATION") == "1")
        {
            File.WriteAllText(Shipped, CalibrationFitter.Serialize(fresh));
        }

        var shipped = JsonNode.Parse(FittedKernelTimer.Calibration.GetRawText())!.AsObject();
        foreach (var gpu in CalibrationFitter.Gpus)
        {
            var want = fresh["gpus"]![gpu]!["fits"]!.AsObject();
            var got = shipped["gpus"]![gpu]!["fits"]!.AsObject();
            Assert.Equal(want.Select(p => p.Key), got.Select(p => p.Key));
            foreach (var (group, fit) in want)
            {
                foreach (var field in new[] { "fixed_s", "s_per_flop", "s_per_byte" })
                {
                    var w = fit![field]!.GetValue<double>();
                    var g = got[group]![field]!.GetValue<double>();
                    Assert.True(Math.Abs(w - g) <= 1e-5 * Math.Abs(w), $"{gpu} {group} {field}: shipped {g}, fresh fit {w}");
                }
            }
        }
    }
}

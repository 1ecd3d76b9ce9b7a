using PerfNotebooks.Vllm.Stats;
using PerfNotebooks.Internal;

namespace PerfNotebooks.Tests;

public class PerfMetricsLoggerTests
{
    private static PerfStats Stats(bool debug) =>
        Models.Catalog("llama-3.1-8b").StepStats(
            SchedulerStep.Create([new NewRequest("a", 0)], [], [], new Dictionary<string, long> { ["a"] = 1000 }), debug);

    [Fact]
    public void Log_formats_vllm_message_and_resets()
    {
        var logger = new PerfMetricsLogger(debug: false);
        var stats = Stats(false);
        logger.Observe(stats);

        var output = logger.Log(0.5, "Engine 000: ");

        var expectedTf = PyFloat.Fixed(PyFloat.FromInt(stats.Flops) / 0.5 / 1e12, 1);
        Assert.StartsWith($"Engine 000: MFU: {expectedTf} TF/s/GPU ", output.Messages.Single(), StringComparison.Ordinal);
        Assert.NotEqual("0.0", expectedTf);
        Assert.Same(LogOutput.Nothing, logger.Log(0.5));
    }

    [Fact]
    public void Zero_elapsed_time_emits_the_line_and_says_why_details_were_skipped()
    {
        var logger = new PerfMetricsLogger(debug: true);
        logger.Observe(Stats(true));

        var output = logger.Log(0.0);

        Assert.Equal("MFU: 0.0 TF/s/GPU 0.0 GB/s/GPU", output.Messages.Single());
        Assert.Empty(output.DebugMessages);
        Assert.Equal("ZeroDivisionError", output.Error);
        Assert.Contains("elapsed time is zero", output.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Debug_details_are_python_json_with_two_space_indent()
    {
        var logger = new PerfMetricsLogger(debug: true);
        logger.Observe(Stats(true) with { Debug = Stats(true).Debug! with { CalcDurationSeconds = 0.01 } });

        var details = logger.Log(2.0).DebugMessages.Single();

        Assert.StartsWith("MFU details: {\n  \"prefill_reqs\": 1,\n  \"decode_reqs\": 0,\n  \"num_batches\": 1,\n  \"context_breakdown\": {\n    \"num_prefill_requests\": 1,", details, StringComparison.Ordinal);
        Assert.EndsWith("  \"duration\": \"2.0s\",\n  \"mfu_calc_overhead\": \"0.5%\"\n}", details, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.25, 1, "0.2")]   // ties go to even on the exact binary value, as Python
    [InlineData(0.35, 1, "0.3")]
    [InlineData(1184.55, 1, "1184.5")]
    public void Fixed_matches_python_rounding(double value, int digits, string expected)
    {
        Assert.Equal(expected, PyFloat.Fixed(value, digits));
    }

    [Fact]
    public void FromInt_rounds_to_nearest_even_like_python()
    {
        Int128 big = ((Int128)1 << 80) + ((Int128)1 << 27);   // exactly halfway between two doubles: ties to even (down)
        Assert.Equal(Math.ScaleB(1.0, 80), PyFloat.FromInt(big));
        Assert.Equal(Math.ScaleB(1.0, 80) + Math.ScaleB(1.0, 28), PyFloat.FromInt(big + 1));
        Assert.Equal(-12345.0, PyFloat.FromInt(-12345));
    }
}

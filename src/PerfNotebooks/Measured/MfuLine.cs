using System.Text.Json.Nodes;

namespace PerfNotebooks.Measured;

/// <summary>
/// vLLM's MFU line (<c>PerfMetricsLogging</c>, <c>vllm/v1/metrics/perf.py</c>): the estimated TFLOP/s and GB/s per GPU
/// averaged since the previous line, spelled <c>TF/s/GPU … GB/s/GPU</c> (vLLM 2025-12) or <c>TF/s/device … GB/s/device</c>
/// (2026-09), with the <c>MFU details</c> debug JSON when it follows.
/// </summary>
/// <param name="Engine">The engine (DP rank) whose logger printed it.</param>
/// <param name="TeraflopsPerSecondPerGpu">Estimated TFLOP/s per GPU (vLLM's own perf model).</param>
/// <param name="GigabytesPerSecondPerGpu">Estimated GB/s per GPU (read plus write).</param>
/// <param name="Unit">The spelling: <c>GPU</c> or <c>device</c>.</param>
/// <param name="Line">Line number (1-based).</param>
public sealed record MfuLine(string Engine, double TeraflopsPerSecondPerGpu, double GigabytesPerSecondPerGpu, string Unit, long Line)
{
    /// <summary>The <c>MFU details</c> JSON that followed, when debug MFU metrics were on.</summary>
    public JsonObject? Details { get; init; }

    /// <summary>The window's length from the details' <c>duration</c> (<c>"5.0s"</c>), seconds; null without details.</summary>
    public double? DurationSeconds =>
        Details?["duration"]?.GetValue<string>() is { } d && d.EndsWith('s') &&
        double.TryParse(d.AsSpan(0, d.Length - 1), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : null;
}

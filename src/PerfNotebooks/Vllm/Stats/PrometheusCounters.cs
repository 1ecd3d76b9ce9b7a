using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using PerfNotebooks.Internal;

namespace PerfNotebooks.Vllm.Stats;

/// <summary>
/// The Prometheus counters vLLM 2026-09 exports for the perf model (<c>PerfMetricsProm</c>):
/// <c>vllm:estimated_flops_per_gpu_total</c>, <c>vllm:estimated_read_bytes_per_gpu_total</c> and
/// <c>vllm:estimated_write_bytes_per_gpu_total</c>, labelled <c>model_name</c> and <c>engine</c>. Observing a step adds
/// its per-GPU totals, as vLLM's <c>inc()</c> calls; a step whose three totals are all 0 is skipped, as upstream.
/// Immutable: <see cref="Observe"/> returns new counters.
/// </summary>
/// <param name="ModelName">The <c>model_name</c> label (vLLM's served model name).</param>
/// <param name="Engine">The <c>engine</c> label (the engine index, <c>0</c> for one engine).</param>
public sealed record PrometheusCounters(string ModelName, string Engine = "0")
{
    /// <summary>The FLOP counter's name.</summary>
    public const string FlopsName = "vllm:estimated_flops_per_gpu_total";

    /// <summary>The read-bytes counter's name.</summary>
    public const string ReadBytesName = "vllm:estimated_read_bytes_per_gpu_total";

    /// <summary>The write-bytes counter's name.</summary>
    public const string WriteBytesName = "vllm:estimated_write_bytes_per_gpu_total";

    /// <summary>FLOPs per GPU counted so far.</summary>
    public Int128 Flops { get; init; }

    /// <summary>Bytes read per GPU counted so far.</summary>
    public Int128 ReadBytes { get; init; }

    /// <summary>Bytes written per GPU counted so far.</summary>
    public Int128 WriteBytes { get; init; }

    /// <summary>Each <c>inc()</c> amount, per counter, in order: (FLOPs, read bytes, write bytes) of each counted step.</summary>
    public ImmutableList<StepTotals> Increments { get; init; } = [];

    /// <summary>These counters after one step, as <c>PerfMetricsProm.observe</c> (no change when its totals are all 0).</summary>
    public PrometheusCounters Observe(PerfStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return stats.Flops == 0 && stats.ReadBytes == 0 && stats.WriteBytes == 0
            ? this
            : this with
            {
                Flops = checked(Flops + stats.Flops),
                ReadBytes = checked(ReadBytes + stats.ReadBytes),
                WriteBytes = checked(WriteBytes + stats.WriteBytes),
                Increments = Increments.Add(new StepTotals(stats.Flops, stats.ReadBytes, stats.WriteBytes)),
            };
    }

    /// <summary>
    /// The three counters as Prometheus text exposition lines (<c># HELP</c>, <c># TYPE</c> and the sample), as
    /// vLLM's <c>/metrics</c> shows them: <c>vllm:estimated_flops_per_gpu_total{engine="0",model_name="…"} 1.2e+13</c>.
    /// Values are written as prometheus_client writes floats (Python <c>repr</c>), so they diff against a server.
    /// </summary>
    public string ToExposition()
    {
        var text = new StringBuilder();
        Write(text, FlopsName, "Estimated number of floating point operations per GPU (for Model Flops Utilization calculations).", Flops);
        Write(text, ReadBytesName, "Estimated number of bytes read from memory per GPU (for Model Flops Utilization calculations).", ReadBytes);
        Write(text, WriteBytesName, "Estimated number of bytes written to memory per GPU (for Model Flops Utilization calculations).", WriteBytes);
        return text.ToString();
    }

    /// <summary>Python's <c>repr(float(value))</c>, the way prometheus_client prints a counter's value.</summary>
    public static string PythonFloat(Int128 value)
    {
        var d = PyFloat.FromInt(value);
        if (Math.Abs(d) < 1e16)
        {
            // Implementation note: counters hold whole numbers, exact in a double below 2^53 (and below 1e16 here).
            return ((long)d).ToString(CultureInfo.InvariantCulture) + ".0";
        }

        // Python repr: the shortest round-trip digits, as d.dddde+XX (exponent signed, at least two digits).
        var r = d.ToString("R", CultureInfo.InvariantCulture);
        var e = r.IndexOf('E', StringComparison.Ordinal);
        var exponent = e < 0 ? 0 : int.Parse(r[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var number = e < 0 ? r : r[..e];
        var point = number.IndexOf('.', StringComparison.Ordinal);
        var integerDigits = point < 0 ? number.Length : point;
        var digits = number.Replace(".", string.Empty, StringComparison.Ordinal).TrimEnd('0');
        exponent += integerDigits - 1;
        var mantissa = digits.Length > 1 ? digits[0] + "." + digits[1..] : digits;
        return $"{mantissa}e{(exponent < 0 ? "-" : "+")}{Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture)}";
    }

    private void Write(StringBuilder text, string name, string help, Int128 value)
    {
        // prometheus_client strips the _total suffix from the family name in HELP/TYPE lines.
        var family = name.EndsWith("_total", StringComparison.Ordinal) ? name[..^6] : name;
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(family).Append(" counter\n");
        text.Append(name).Append("{engine=\"").Append(Escape(Engine)).Append("\",model_name=\"").Append(Escape(ModelName)).Append("\"} ")
            .Append(PythonFloat(value)).Append('\n');
    }

    private static string Escape(string label) =>
        label.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}

using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PerfNotebooks.Measured;

/// <summary>
/// What a vLLM server log says about performance: per-step iteration details, periodic stats lines and MFU lines,
/// each kept with the engine (DP rank) that printed it; every other line is ignored, and a line that starts one of
/// these formats but does not finish it is listed in <see cref="Skipped"/>, never guessed.
/// </summary>
/// <remarks>
/// Formats, from vLLM's source:
/// <list type="bullet">
/// <item>Iteration details (<c>--enable-logging-iteration-details</c>): <c>Iteration(N): A context requests, B context
/// tokens, C generation requests, D generation tokens, iteration elapsed time: X.XX ms</c>, optionally <c> (dummy)</c>
/// (<c>EngineCore.log_iteration_details</c>, <c>vllm/v1/engine/core.py</c>, vLLM PR #31193, from v0.11); the frontend
/// logger's version adds <c>Engine 000: </c> before and <c>, GPU KV cache usage: 41.2%</c> after
/// (<c>LoggingStatLogger._log_iteration_details</c>, <c>vllm/v1/metrics/loggers.py</c>, PR #46647).</item>
/// <item>Stats: <c>Engine 000: Avg prompt throughput: %.1f tokens/s, Avg generation throughput: %.1f tokens/s, Running:
/// %d reqs, Waiting: %d reqs, GPU KV cache usage: %.1f%%, Prefix cache hit rate: %.1f%%</c>
/// (<c>LoggingStatLogger.log</c>, <c>vllm/v1/metrics/loggers.py</c>, V1 engine, v0.8 on).</item>
/// <item>MFU: <c>MFU: %.1f TF/s/GPU %.1f GB/s/GPU</c> (2025-12) or <c>TF/s/device … GB/s/device</c> (2026-09), and
/// <c>MFU details: {json}</c> (<c>PerfMetricsLogging.log</c>, <c>vllm/v1/metrics/perf.py</c>).</item>
/// </list>
/// The engine is the <c>Engine NNN: </c> or <c>[dpN] </c> prefix right before the message when there is one (the MFU
/// logger's two prefixes), else the DP rank of the process prefix
/// (<c>(EngineCore_DP1 pid=…)</c>), else <c>0</c>.
/// </remarks>
public sealed partial class ServerLog
{
    // The details of a large model are a few kB; a runaway object (a line cut short) stops here.
    private const int MaxDetailsChars = 1 << 20;

    private ServerLog(string source, ImmutableArray<MeasuredStep> steps, ImmutableArray<StatsLine> stats, ImmutableArray<MfuLine> mfu, ImmutableArray<SkippedInput> skipped, long lines)
    {
        Source = source;
        Steps = steps;
        Stats = stats;
        Mfu = mfu;
        Skipped = skipped;
        Lines = lines;
    }

    /// <summary>The file (or stream name) read.</summary>
    public string Source { get; }

    /// <summary>Iteration-detail steps in log order (engines interleaved; see <see cref="MeasuredStep.Engine"/>).</summary>
    public ImmutableArray<MeasuredStep> Steps { get; }

    /// <summary>Periodic stats lines in log order.</summary>
    public ImmutableArray<StatsLine> Stats { get; }

    /// <summary>MFU lines in log order, each with its details when they followed.</summary>
    public ImmutableArray<MfuLine> Mfu { get; }

    /// <summary>Lines that started a known format but could not be read, with why.</summary>
    public ImmutableArray<SkippedInput> Skipped { get; }

    /// <summary>Lines read.</summary>
    public long Lines { get; }

    /// <summary>The engines that logged steps, stats or MFU lines, in order of appearance.</summary>
    public ImmutableArray<string> Engines =>
        [.. Steps.Select(s => (s.Line, s.Engine)).Concat(Stats.Select(s => (s.Line, s.Engine))).Concat(Mfu.Select(m => (m.Line, m.Engine)))
            .OrderBy(p => p.Line).Select(p => p.Engine).Distinct()];

    /// <summary>Reads a log file.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ServerLog Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"log file '{path}' not found", path);
        }

        using var reader = new StreamReader(path);
        return Read(reader, path);
    }

    /// <summary>Reads a log from <paramref name="reader"/>, naming it <paramref name="source"/> in what it skips.</summary>
    public static ServerLog Read(TextReader reader, string source = "log")
    {
        ArgumentNullException.ThrowIfNull(reader);
        var steps = ImmutableArray.CreateBuilder<MeasuredStep>();
        var stats = ImmutableArray.CreateBuilder<StatsLine>();
        var mfu = ImmutableArray.CreateBuilder<MfuLine>();
        var skipped = ImmutableArray.CreateBuilder<SkippedInput>();
        long n = 0;
        while (reader.ReadLine() is { } line)
        {
            n++;
            if (IterationStartPattern().IsMatch(line) || IterationCutPattern().IsMatch(line))
            {
                if (IterationPattern().Match(line) is { Success: true } m && TryStep(m, line, n, out var step))
                {
                    steps.Add(step);
                }
                else
                {
                    skipped.Add(new SkippedInput(source, n, "iteration line cut short or not in vLLM's format: " + Clip(line)));
                }
            }
            else if (line.Contains("Avg prompt throughput:", StringComparison.Ordinal))
            {
                // Implementation note: V1 always prints the hit rate last; a line that names it but does not finish it is cut short.
                if (StatsPattern().Match(line) is { Success: true } m && (m.Groups["hit"].Success || !line.Contains("Prefix cache", StringComparison.Ordinal)))
                {
                    stats.Add(new StatsLine(EngineOf(line, m.Index), D(m, "prompt"), D(m, "gen"), L(m, "running"), L(m, "waiting"), D(m, "kv"),
                        m.Groups["hit"].Success ? D(m, "hit") : null, n));
                }
                else
                {
                    skipped.Add(new SkippedInput(source, n, "stats line cut short or not in vLLM's format: " + Clip(line)));
                }
            }
            else if (line.Contains("MFU details:", StringComparison.Ordinal))
            {
                // vLLM prints the details with json.dumps(indent=2): the object runs over the following lines.
                var at = line.IndexOf("MFU details:", StringComparison.Ordinal);
                var engine = EngineOf(line, at);
                var first = n;
                var text = new System.Text.StringBuilder(line[(at + "MFU details:".Length)..].Trim());
                var depth = Depth(text.ToString(), 0);
                while (depth > 0 && text.Length < MaxDetailsChars && reader.ReadLine() is { } more)
                {
                    n++;
                    text.Append('\n').Append(more);
                    depth = Depth(more, depth);
                }

                JsonObject? details = null;
                try
                {
                    details = depth == 0 ? JsonNode.Parse(text.ToString()) as JsonObject : null;
                }
                catch (JsonException)
                {
                }

                var index = LastIndex(mfu, engine);
                if (details is null)
                {
                    skipped.Add(new SkippedInput(source, first, "MFU details cut short (not a whole JSON object)"));
                }
                else if (index < 0)
                {
                    skipped.Add(new SkippedInput(source, first, "MFU details with no MFU line of the same engine before them"));
                }
                else
                {
                    mfu[index] = mfu[index] with { Details = details };
                }
            }
            else if (MfuStartPattern().IsMatch(line))
            {
                if (MfuPattern().Match(line) is { Success: true } m && m.Groups["u1"].Value == m.Groups["u2"].Value)
                {
                    mfu.Add(new MfuLine(EngineOf(line, m.Index), D(m, "tf"), D(m, "gb"), m.Groups["u1"].Value, n));
                }
                else
                {
                    skipped.Add(new SkippedInput(source, n, "MFU line cut short or not in vLLM's format: " + Clip(line)));
                }
            }
        }

        return new ServerLog(source, steps.ToImmutable(), stats.ToImmutable(), mfu.ToImmutable(), skipped.ToImmutable(), n);
    }

    // Brace depth after reading text (strings skipped), starting from depth.
    private static int Depth(string text, int depth)
    {
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (c == '{')
            {
                depth++;
            }
            else if (c == '}')
            {
                depth--;
            }
        }

        return depth;
    }

    private static bool TryStep(Match m, string line, long n, out MeasuredStep step)
    {
        step = null!;
        if (!long.TryParse(m.Groups["it"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var it) ||
            !long.TryParse(m.Groups["cr"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var cr) ||
            !long.TryParse(m.Groups["ct"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var ct) ||
            !long.TryParse(m.Groups["gr"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var gr) ||
            !long.TryParse(m.Groups["gt"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var gt))
        {
            return false;
        }

        var ms = D(m, "ms");
        if (!double.IsFinite(ms))
        {
            return false;
        }

        step = new MeasuredStep(it, EngineOf(line, m.Index), cr, ct, gr, gt, ms, m.Groups["kv"].Success ? D(m, "kv") : null, m.Groups["dummy"].Success, n);
        return true;
    }

    private static int LastIndex(ImmutableArray<MfuLine>.Builder mfu, string engine)
    {
        for (var i = mfu.Count - 1; i >= 0; i--)
        {
            if (mfu[i].Engine == engine)
            {
                return mfu[i].Details is null ? i : -1;
            }
        }

        return -1;
    }

    // The engine: "Engine 000:" right before the message, else the process prefix's DP rank, else 0.
    private static string EngineOf(string line, int messageStart)
    {
        var head = line.AsSpan(0, messageStart);
        if (EnginePattern().Match(line, 0, messageStart) is { Success: true } e)
        {
            return int.Parse(e.Groups[1].ValueSpan, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        }

        if (DpPrefixPattern().Match(line, 0, messageStart) is { Success: true } prefix)
        {
            return prefix.Groups[1].Value;
        }

        return DpPattern().Match(head.ToString()) is { Success: true } dp ? dp.Groups[1].Value : "0";
    }

    private static double D(Match m, string group) => double.Parse(m.Groups[group].ValueSpan, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static long L(Match m, string group) => long.Parse(m.Groups[group].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);

    private static string Clip(string line) => line.Length <= 120 ? line.Trim() : line[..117].Trim() + "...";

    [GeneratedRegex(@"Iteration\((?<it>\d+)\): (?<cr>\d+) context requests, (?<ct>\d+) context tokens, (?<gr>\d+) generation requests, (?<gt>\d+) generation tokens, iteration elapsed time: (?<ms>\d+(?:\.\d+)?) ms(?<dummy> \(dummy\))?(?:, GPU KV cache usage: (?<kv>\d+(?:\.\d+)?)%)?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex IterationPattern();

    [GeneratedRegex(@"Avg prompt throughput: (?<prompt>\d+(?:\.\d+)?) tokens/s, Avg generation throughput: (?<gen>\d+(?:\.\d+)?) tokens/s, Running: (?<running>\d+) reqs, Waiting: (?<waiting>\d+) reqs, (?:GPU )?KV cache usage: (?<kv>\d+(?:\.\d+)?)%(?<tail>, Prefix cache hit rate: (?<hit>\d+(?:\.\d+)?)%)?", RegexOptions.CultureInvariant)]
    private static partial Regex StatsPattern();

    [GeneratedRegex(@"MFU: (?<tf>\d+(?:\.\d+)?) TF/s/(?<u1>GPU|device) (?<gb>\d+(?:\.\d+)?) GB/s/(?<u2>GPU|device)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex MfuPattern();

    [GeneratedRegex(@"Iteration\(\d+\): \d", RegexOptions.CultureInvariant)]
    private static partial Regex IterationStartPattern();

    // An iteration line cut before its first count: the line ends inside "Iteration(N): ".
    [GeneratedRegex(@"Iteration\((\d+(\)(:\s?)?)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex IterationCutPattern();

    [GeneratedRegex(@"MFU: \d", RegexOptions.CultureInvariant)]
    private static partial Regex MfuStartPattern();

    [GeneratedRegex(@"Engine (\d{1,6}): $", RegexOptions.CultureInvariant)]
    private static partial Regex EnginePattern();

    [GeneratedRegex(@"\[dp(\d+)\] $", RegexOptions.CultureInvariant)]
    private static partial Regex DpPrefixPattern();

    [GeneratedRegex(@"EngineCore_DP(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex DpPattern();
}

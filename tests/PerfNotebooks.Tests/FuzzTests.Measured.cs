using System.IO.Compression;
using System.Text;
using PerfNotebooks.Measured;

namespace PerfNotebooks.Tests;

// The measured-data readers: truncated, corrupted and random-byte variants of every fixture. Each variant is read or
// rejected, never anything else: rejected means InvalidDataException with one line that starts with the file's name,
// or a result that says what it did not use (a skipped line naming the file, a trace marked incomplete).
public partial class FuzzTests
{
    private const string Source = "fuzzed-input";

    private enum Outcome
    {
        Read,
        Rejected,
    }

    private static byte[] MeasuredFixture(string name) => File.ReadAllBytes(Path.Combine(Paths.MeasuredFixtures, name));

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private static Outcome ReadLog(byte[] data)
    {
        var log = ServerLog.Read(new StreamReader(new MemoryStream(data), Encoding.UTF8), Source);
        return Judge(log.Skipped);
    }

    private static Outcome ReadScrape(byte[] data)
    {
        var scrape = PrometheusScrape.Read(new StreamReader(new MemoryStream(data), Encoding.UTF8), Source);
        // The window over it (against the good second scrape) must not fail either.
        var second = PrometheusScrape.Read(new StringReader(Encoding.UTF8.GetString(MeasuredFixture("metrics-2.prom"))), "metrics-2.prom");
        _ = MetricsWindow.From(scrape, second, 10);
        return Judge(scrape.Skipped);
    }

    private static Outcome ReadBench(byte[] data)
    {
        var result = BenchmarkResult.Read(new MemoryStream(data), Source);
        return Judge(result.Skipped);
    }

    private static Outcome ReadTrace(byte[] data)
    {
        var trace = ProfilerTrace.Read(new MemoryStream(data), Source);
        var judged = Judge(trace.Skipped);
        return trace.IsComplete ? judged : Outcome.Rejected;
    }

    private static Outcome Judge(IEnumerable<SkippedInput> skipped)
    {
        var list = skipped.ToList();
        foreach (var s in list)
        {
            Assert.Equal(Source, s.Source);
            AssertOneCleanLine(s.Reason, s.ToString());
        }

        return list.Count == 0 ? Outcome.Read : Outcome.Rejected;
    }

    /// Reads one variant; an exception other than the documented one fails the fuzz with the input's description.
    private static Outcome Feed(Func<byte[], Outcome> reader, byte[] data, string variant)
    {
        try
        {
            return reader(data);
        }
        catch (InvalidDataException e)
        {
            AssertOneCleanLine(e.Message, variant);
            Assert.True(e.Message.StartsWith(Source, StringComparison.Ordinal), $"{Describe(e)}\n  input: {variant}");
            return Outcome.Rejected;
        }
        catch (Exception e)
        {
            Assert.Fail($"{Describe(e)}\n  input: {variant}\n{e.StackTrace}");
            throw;
        }
    }

    private static IEnumerable<(string Variant, byte[] Data)> Truncations(byte[] data, Random random, int count, int keepAtMost)
    {
        for (var i = 0; i < count; i++)
        {
            var cut = random.Next(0, keepAtMost + 1);
            yield return ($"first {cut} of {data.Length} bytes", data[..cut]);
        }
    }

    private static IEnumerable<(string Variant, byte[] Data)> Corruptions(byte[] data, Random random, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var copy = (byte[])data.Clone();
            var flips = random.Next(1, 9);
            var at = new List<int>();
            for (var f = 0; f < flips; f++)
            {
                var p = random.Next(copy.Length);
                copy[p] = (byte)random.Next(256);
                at.Add(p);
            }

            yield return ($"bytes at {string.Join(",", at)} replaced", copy);
        }
    }

    private static IEnumerable<(string Variant, byte[] Data)> RandomBytes(Random random, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var data = new byte[random.Next(1, 4096)];
            random.NextBytes(data);
            yield return ($"{data.Length} random bytes (seed variant {i})", data);
        }
    }

    public static TheoryData<string> MeasuredFormats() => ["log", "scrape", "bench", "aiperf", "trace", "trace.gz"];

    private static (Func<byte[], Outcome> Reader, byte[] Fixture) Format(string format) => format switch
    {
        "log" => (ReadLog, MeasuredFixture("vllm-serve-dp2.log")),
        "scrape" => (ReadScrape, MeasuredFixture("metrics-1.prom")),
        "bench" => (ReadBench, MeasuredFixture("vllm-bench-serve.json")),
        "aiperf" => (ReadBench, MeasuredFixture("aiperf-profile-export.json")),
        "trace" => (ReadTrace, MeasuredFixture("llm-tp2-steps.pt.trace.json")),
        _ => (ReadTrace, Gzip(MeasuredFixture("llm-tp2-steps.pt.trace.json"))),
    };

    [Theory]
    [MemberData(nameof(MeasuredFormats))]
    public void Measured_reader_reads_or_rejects_every_variant_of_its_fixture(string format)
    {
        RunUnderDeadline(() =>
        {
            var (reader, fixture) = Format(format);
            var random = new Random(format.Length * 7919);
            // The log fixture holds lines cut short, on purpose.
            var itself = Feed(reader, fixture, "the fixture itself");
            Assert.Equal(format == "log" ? Outcome.Rejected : Outcome.Read, itself);

            foreach (var (variant, data) in Corruptions(fixture, random, 60).Concat(Truncations(fixture, random, 40, fixture.Length)))
            {
                Feed(reader, data, $"{format}: {variant}");
            }

            // Random bytes are clearly not a JSON result or a trace, nor lines of a scrape: nearly all must be rejected.
            // (A log reader ignores lines that are not vLLM's: for it, random bytes are an empty log.)
            var outcomes = RandomBytes(random, 40).Select(v => Feed(reader, v.Data, $"{format}: {v.Variant}")).ToList();
            if (format != "log")
            {
                Assert.True(outcomes.Count(o => o == Outcome.Rejected) >= 38, $"{format}: only {outcomes.Count(o => o == Outcome.Rejected)} of 40 random inputs rejected");
            }
        });
    }

    [Theory]
    [InlineData("bench")]
    [InlineData("aiperf")]
    [InlineData("trace")]
    [InlineData("trace.gz")]
    public void Measured_json_cut_before_its_closing_brace_is_always_rejected(string format)
    {
        RunUnderDeadline(() =>
        {
            var (reader, fixture) = Format(format);
            var end = format == "trace.gz" ? fixture.Length - 1 : Encoding.UTF8.GetString(fixture).LastIndexOf('}');
            var outcomes = Truncations(fixture, new Random(17), 40, end).Select(v => Feed(reader, v.Data, $"{format}: {v.Variant}")).ToList();

            Assert.All(outcomes, o => Assert.Equal(Outcome.Rejected, o));
        });
    }

    [Fact]
    public void Measured_log_iteration_lines_cut_short_are_skipped_with_their_line()
    {
        var lines = Encoding.UTF8.GetString(MeasuredFixture("vllm-serve-dp2.log")).Split('\n');
        var random = new Random(5);
        var iterations = Enumerable.Range(0, lines.Length).Where(i => lines[i].Contains("Iteration(", StringComparison.Ordinal) && lines[i].Contains("elapsed time", StringComparison.Ordinal)).ToList();
        var before = ServerLog.Read(new StringReader(string.Join('\n', lines)), Source).Skipped.Length;
        var rejected = 0;
        var read = new List<string>();
        for (var trial = 0; trial < 60; trial++)
        {
            var i = iterations[random.Next(iterations.Count)];
            // Cut inside the counts (after the first digit: a line cut before it is not told from a foreign line), before
            // "elapsed time" is whole.
            var start = lines[i].IndexOf("): ", lines[i].IndexOf("Iteration(", StringComparison.Ordinal), StringComparison.Ordinal) + 4;
            var cut = random.Next(start, lines[i].IndexOf("elapsed time", StringComparison.Ordinal));
            var copy = (string[])lines.Clone();
            copy[i] = lines[i][..cut];
            var log = ServerLog.Read(new StringReader(string.Join('\n', copy)), Source);
            if (log.Skipped.Any(s => s.Line == i + 1 && s.Reason.StartsWith("iteration line cut short", StringComparison.Ordinal)))
            {
                rejected++;
                Assert.Equal(before + 1, log.Skipped.Length);
            }
            else
            {
                read.Add(copy[i]);
            }
        }

        Assert.True(rejected == 60, "read as whole: " + string.Join(" | ", read));
    }
}

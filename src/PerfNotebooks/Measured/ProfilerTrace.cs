using System.Collections.Immutable;
using System.IO.Compression;
using System.Text.Json;
using PerfNotebooks.Vllm.Profiling;
namespace PerfNotebooks.Measured;

/// <summary>
/// A PyTorch profiler trace (Kineto's Chrome-trace JSON, plain or gzip) read as a stream, never loaded whole: GPU
/// kernel time per engine step and per <see cref="KernelCategory"/>, the kernels by name, and what was skipped. A
/// trace cut short, a gzip error or malformed JSON gives the part read so far with <see cref="IsComplete"/> false and
/// the reason in <see cref="Skipped"/>.
/// </summary>
/// <remarks>
/// <para>Events read (Kineto's <c>ChromeTraceLogger</c>): <c>"ph": "X"</c> with <c>cat</c> <c>kernel</c>,
/// <c>gpu_memcpy</c>, <c>gpu_memset</c> (GPU time), <c>cuda_runtime</c>/<c>cuda_driver</c> (the CPU launch, joined to its
/// kernel by <c>args.correlation</c>), <c>user_annotation</c> and <c>gpu_user_annotation</c> (<c>record_function</c>
/// ranges on the CPU and GPU timelines); <c>ts</c> and <c>dur</c> in µs with up to nanosecond decimals. Every other
/// event and field is skipped unread.</para>
/// <para>Steps: <c>ProfilerStep#N</c> ranges (<c>torch.profiler.profile.step()</c>) when present, else vLLM's
/// <c>gpu_model_runner: forward</c> (<c>record_function_or_nullcontext</c> in <c>vllm/v1/worker/gpu_model_runner.py</c>),
/// else any annotation named by <see cref="TraceReadOptions.StepAnnotation"/>. A step runs from its annotation's start
/// to the next step's start. A kernel belongs to the step whose GPU range holds its start; when the steps are only on
/// the CPU timeline, to the step whose range holds its launch (found through the correlation id).</para>
/// <para>Memory: 32 bytes per kernel and 16 per launch are kept until the end (to join kernels to steps whatever the
/// event order), plus one entry per distinct kernel name; the JSON is read through a fixed 1 MiB buffer.</para>
/// </remarks>
public sealed class ProfilerTrace
{
    private ProfilerTrace() { }

    /// <summary>The file (or stream name).</summary>
    public string Source { get; private init; } = string.Empty;

    /// <summary>Trace events seen (every kind).</summary>
    public long Events { get; private init; }

    /// <summary>GPU kernels, copies and sets seen.</summary>
    public long Kernels { get; private init; }

    /// <summary>Bytes of JSON read (after decompression).</summary>
    public long Bytes { get; private init; }

    /// <summary>The first device's name from <c>deviceProperties</c>, when the trace has them.</summary>
    public string? Device { get; private init; }

    /// <summary>The engine steps, in time order (empty when the trace marks none).</summary>
    public ImmutableArray<TraceStep> Steps { get; private init; } = [];

    /// <summary>Kernel seconds per category over the whole trace, indexed by <see cref="KernelCategory"/>.</summary>
    public ImmutableArray<double> CategorySeconds { get; private init; } = [];

    /// <summary>Kernel seconds outside every step, per category (before the first step, or unjoinable).</summary>
    public ImmutableArray<double> OutsideStepSeconds { get; private init; } = [];

    /// <summary>Every kernel name with its calls and time, longest first.</summary>
    public ImmutableArray<KernelSummary> KernelNames { get; private init; } = [];

    /// <summary>Whether the whole trace was read.</summary>
    public bool IsComplete { get; private init; }

    /// <summary>What was not read or not used, with why.</summary>
    public ImmutableArray<SkippedInput> Skipped { get; private init; } = [];

    /// <summary>GPU kernel seconds over the whole trace.</summary>
    public double KernelSeconds => CategorySeconds.Sum();

    /// <summary>Reads a trace file, gzip or not (told by its first bytes, not its name).</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    public static ProfilerTrace Load(string path, TraceReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"trace '{path}' not found", path);
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Read(file, path, options);
    }

    /// <summary>Reads a trace from <paramref name="stream"/> (gzip or not, told by its first bytes).</summary>
    public static ProfilerTrace Read(Stream stream, string source = "trace", TraceReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffered = new BufferedStream(stream, 1 << 16);
        var magic = new byte[2];
        var got = buffered.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        Stream input = new PrefixedStream(magic.AsMemory(0, got), buffered);
        if (got == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        {
            input = new GZipStream(input, CompressionMode.Decompress);
        }

        using (input)
        {
            var scanner = new TraceScanner(options ?? TraceReadOptions.Default);
            string? failure = null;
            try
            {
                scanner.Scan(input);
            }
            catch (InvalidDataException e)
            {
                failure = $"gzip error after {scanner.BytesRead:N0} bytes ({e.Message.TrimEnd('.')}): the rest of the trace is not read";
            }
            catch (JsonException e)
            {
                failure = $"malformed JSON after {scanner.BytesRead:N0} bytes ({SkippedInput.OneLine(e.Message.Split(" LineNumber", 2)[0].TrimEnd('.'))}): the rest of the trace is not read";
            }
            catch (InvalidOperationException)
            {
                // Utf8JsonReader.GetString on a name whose bytes are not UTF-8.
                failure = $"a name that is not UTF-8 text after {scanner.BytesRead:N0} bytes: the rest of the trace is not read";
            }

            return scanner.Finish(source, failure);
        }
    }

    /// <summary>
    /// The trace files a vLLM run with <paramref name="config"/> wrote: <c>*.pt.trace.json[.gz]</c> in its
    /// <c>torch_profiler_dir</c>, one per worker (<c>dp{d}_pp{p}_tp{t}_…_rank{r}.{time_ns}.pt.trace.json.gz</c>), in name
    /// order.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="ArgumentException">The config names no directory, or a remote one.</exception>
    public static ImmutableArray<string> Find(ProfilerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (string.IsNullOrEmpty(config.TorchProfilerDir))
        {
            throw new ArgumentException("the profiler config names no torch_profiler_dir");
        }

        if (ProfilerConfig.IsUri(config.TorchProfilerDir))
        {
            throw new ArgumentException($"torch_profiler_dir '{config.TorchProfilerDir}' is remote; copy the traces locally and give the folder");
        }

        return Find(config.TorchProfilerDir);
    }

    /// <summary>The trace files in <paramref name="directory"/> (<c>*.pt.trace.json</c> and <c>*.pt.trace.json.gz</c>), in name order.</summary>
    public static ImmutableArray<string> Find(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"trace folder '{directory}' not found");
        }

        return [.. Directory.EnumerateFiles(directory).Where(f => f.EndsWith(".pt.trace.json", StringComparison.Ordinal) || f.EndsWith(".pt.trace.json.gz", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
    }

    internal static ProfilerTrace Create(string source, long events, long kernels, long bytes, string? device, ImmutableArray<TraceStep> steps, ImmutableArray<double> totals,
        ImmutableArray<double> outside, ImmutableArray<KernelSummary> names, bool complete, ImmutableArray<SkippedInput> skipped) => new()
        {
            Source = source,
            Events = events,
            Kernels = kernels,
            Bytes = bytes,
            Device = device,
            Steps = steps,
            CategorySeconds = totals,
            OutsideStepSeconds = outside,
            KernelNames = names,
            IsComplete = complete,
            Skipped = skipped,
        };

    // A stream that first returns the bytes already read to sniff the format.
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream inner) : Stream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_prefix.Length > 0)
            {
                var n = Math.Min(buffer.Length, _prefix.Length);
                _prefix.Span[..n].CopyTo(buffer);
                _prefix = _prefix[n..];
                return n;
            }

            return inner.Read(buffer);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

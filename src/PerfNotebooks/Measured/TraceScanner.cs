using System.Buffers;
using System.Buffers.Text;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace PerfNotebooks.Measured;

/// <summary>The streaming pass over a Kineto trace behind <see cref="ProfilerTrace"/>: one <see cref="Utf8JsonReader"/>
/// over a fixed buffer, keeping only the fields it needs.</summary>
internal sealed class TraceScanner(TraceReadOptions options)
{
    private const int BufferBytes = 1 << 20;
    private const string ProfilerStep = "ProfilerStep#";
    private const string VllmForward = "gpu_model_runner: forward";

    private readonly List<KernelRecord> _kernels = [];
    private readonly List<Launch> _launches = [];
    private readonly List<Annotation> _cpuAnnotations = [];
    private readonly List<Annotation> _gpuAnnotations = [];
    private readonly List<(string Name, KernelCategory Category)> _names = [];
    private readonly Dictionary<string, int> _nameIds = new(StringComparer.Ordinal);
    private readonly List<SkippedInput> _skipped = [];
    private long _events;
    private long _untimed;
    private bool _rootClosed;
    private string? _device;
    private bool _complete;

    public long BytesRead { get; private set; }

    private enum Field : byte
    {
        None,
        Ph,
        Cat,
        Name,
        Ts,
        Dur,
        Correlation,
    }

    private enum Kind : byte
    {
        Other,
        Kernel,
        Memcpy,
        Memset,
        Runtime,
        CpuAnnotation,
        GpuAnnotation,
    }

    public void Scan(Stream input)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        try
        {
            var state = default(JsonReaderState);
            var filled = 0;
            var eof = false;
            var ctx = new EventContext();
            var section = Section.None;
            var charBuffer = new char[512];
            while (true)
            {
                if (!eof)
                {
                    var n = input.Read(buffer, filled, buffer.Length - filled);
                    if (n == 0)
                    {
                        eof = true;
                    }

                    filled += n;
                    BytesRead += n;
                }

                var reader = new Utf8JsonReader(buffer.AsSpan(0, filled), eof, state);
                try
                {
                    while (reader.Read())
                    {
                        Token(ref reader, ref ctx, ref section, charBuffer);
                    }
                }
                catch (JsonException) when (eof && !_rootClosed)
                {
                    _skipped.Add(new SkippedInput("", 0, $"trace cut short after {BytesRead:N0} bytes and {_events:N0} events: a partial result"));
                    return;
                }

                var consumed = (int)reader.BytesConsumed;
                state = reader.CurrentState;
                if (eof)
                {
                    _complete = _rootClosed;
                    if (!_complete)
                    {
                        _skipped.Add(new SkippedInput("", 0, $"trace cut short after {BytesRead:N0} bytes and {_events:N0} events: a partial result"));
                    }

                    return;
                }

                var rest = filled - consumed;
                if (rest == buffer.Length)
                {
                    // One token larger than the buffer (a huge string): grow it.
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    Buffer.BlockCopy(buffer, 0, bigger, 0, filled);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                    continue;
                }

                Buffer.BlockCopy(buffer, consumed, buffer, 0, rest);
                filled = rest;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private enum Section : byte
    {
        None,
        AwaitEvents,
        Events,
        AwaitDevices,
        Devices,
    }

    private struct EventContext
    {
        public Field Field;
        public Kind Kind;
        public bool IsComplete;
        public long TsNs;
        public long DurNs;
        public bool HasTs;
        public bool HasDur;
        public long Correlation;
        public int NameId;
        public string? NameText;
        public bool InArgs;
        public bool CatSeen;
    }

    private void Token(ref Utf8JsonReader reader, ref EventContext e, ref Section section, char[] chars)
    {
        var depth = reader.CurrentDepth;
        switch (reader.TokenType)
        {
            case JsonTokenType.PropertyName when depth == 1:
                section = reader.ValueTextEquals("traceEvents"u8) ? Section.AwaitEvents
                    : reader.ValueTextEquals("deviceProperties"u8) ? Section.AwaitDevices
                    : Section.None;
                return;
            case JsonTokenType.StartArray when depth == 1:
                section = section switch
                {
                    Section.AwaitEvents => Section.Events,
                    Section.AwaitDevices => Section.Devices,
                    _ => Section.None,
                };
                return;
            case JsonTokenType.EndArray when depth == 1:
                section = Section.None;
                return;
            case JsonTokenType.EndObject when depth == 0:
                _rootClosed = true;
                return;
        }

        if (section == Section.Devices)
        {
            if (_device is null && depth == 3 && reader.TokenType == JsonTokenType.String && e.Field == Field.Name)
            {
                _device = reader.GetString();
            }

            e.Field = reader.TokenType == JsonTokenType.PropertyName && depth == 3 && reader.ValueTextEquals("name"u8) ? Field.Name : Field.None;
            return;
        }

        if (section != Section.Events)
        {
            return;
        }

        if (depth == 2)
        {
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                e = default;
            }
            else if (reader.TokenType == JsonTokenType.StartArray)
            {
                _skipped.Add(new SkippedInput("", 0, "an array inside traceEvents where an event object belongs"));
            }
            else if (reader.TokenType == JsonTokenType.EndObject)
            {
                _events++;
                Finish(ref e);
            }

            return;
        }

        if (reader.TokenType == JsonTokenType.PropertyName)
        {
            if (depth == 3)
            {
                e.InArgs = reader.ValueTextEquals("args"u8);
                e.Field = reader.ValueTextEquals("ph"u8) ? Field.Ph
                    : reader.ValueTextEquals("cat"u8) ? Field.Cat
                    : reader.ValueTextEquals("name"u8) ? Field.Name
                    : reader.ValueTextEquals("ts"u8) ? Field.Ts
                    : reader.ValueTextEquals("dur"u8) ? Field.Dur
                    : Field.None;
            }
            else if (depth == 4 && e.InArgs)
            {
                e.Field = reader.ValueTextEquals("correlation"u8) ? Field.Correlation : Field.None;
            }
            else
            {
                e.Field = Field.None;
            }

            return;
        }

        var field = e.Field;
        e.Field = Field.None;
        switch (field)
        {
            case Field.Ph when reader.TokenType == JsonTokenType.String:
                e.IsComplete = reader.ValueTextEquals("X"u8);
                break;
            case Field.Cat when reader.TokenType == JsonTokenType.String:
                e.CatSeen = true;
                e.Kind = reader.ValueTextEquals("kernel"u8) ? Kind.Kernel
                    : reader.ValueTextEquals("gpu_memcpy"u8) ? Kind.Memcpy
                    : reader.ValueTextEquals("gpu_memset"u8) ? Kind.Memset
                    : reader.ValueTextEquals("cuda_runtime"u8) || reader.ValueTextEquals("cuda_driver"u8) ? Kind.Runtime
                    : reader.ValueTextEquals("user_annotation"u8) ? Kind.CpuAnnotation
                    : reader.ValueTextEquals("gpu_user_annotation"u8) ? Kind.GpuAnnotation
                    : Kind.Other;
                if (e.NameText is { } pending && e.Kind is Kind.Kernel or Kind.Memcpy or Kind.Memset)
                {
                    e.NameId = NameId(pending, e.Kind);
                    e.NameText = null;
                }

                break;
            case Field.Name when reader.TokenType == JsonTokenType.String:
                ReadName(ref reader, ref e, chars);
                break;
            case Field.Ts when reader.TokenType == JsonTokenType.Number:
                e.HasTs = TryNanoseconds(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan, out e.TsNs);
                break;
            case Field.Dur when reader.TokenType == JsonTokenType.Number:
                e.HasDur = TryNanoseconds(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan, out e.DurNs);
                break;
            case Field.Correlation when reader.TokenType == JsonTokenType.Number:
                reader.TryGetInt64(out e.Correlation);
                break;
        }
    }

    private void ReadName(ref Utf8JsonReader reader, ref EventContext e, char[] chars)
    {
        // Implementation note: names are resolved without allocating when the kind is known (Kineto writes "cat" before
        // "name"); otherwise the text is kept until the kind is. Names of events this reader does not use are not read.
        if (e.CatSeen && e.Kind is Kind.Other or Kind.Runtime)
        {
            return;
        }

        if (e.Kind is Kind.Kernel or Kind.Memcpy or Kind.Memset && !reader.ValueIsEscaped && !reader.HasValueSequence && reader.ValueSpan.Length <= chars.Length)
        {
            var n = Encoding.UTF8.GetChars(reader.ValueSpan, chars);
            var lookup = _nameIds.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(chars.AsSpan(0, n), out var id))
            {
                e.NameId = id;
                return;
            }
        }

        var name = reader.GetString() ?? string.Empty;
        if (e.Kind is Kind.Kernel or Kind.Memcpy or Kind.Memset)
        {
            e.NameId = NameId(name, e.Kind);
        }
        else if (e.Kind is Kind.CpuAnnotation or Kind.GpuAnnotation or Kind.Other)
        {
            e.NameText = name;
        }
    }

    private int NameId(string name, Kind kind)
    {
        if (!_nameIds.TryGetValue(name, out var id))
        {
            id = _names.Count;
            _names.Add((name, KernelClassifier.Classify(name, kind switch { Kind.Memcpy => "gpu_memcpy", Kind.Memset => "gpu_memset", _ => "kernel" })));
            _nameIds[name] = id;
        }

        return id;
    }

    private void Finish(ref EventContext e)
    {
        if (!e.IsComplete || e.Kind == Kind.Other)
        {
            return;
        }

        if (!e.HasTs || (!e.HasDur && e.Kind != Kind.Runtime))
        {
            _untimed++;
            return;
        }

        switch (e.Kind)
        {
            case Kind.Kernel or Kind.Memcpy or Kind.Memset:
                _kernels.Add(new KernelRecord(e.TsNs, e.DurNs, e.NameId, e.Correlation));
                break;
            case Kind.Runtime when e.Correlation != 0:
                _launches.Add(new Launch(e.Correlation, e.TsNs));
                break;
            case Kind.CpuAnnotation when e.NameText is { } name:
                _cpuAnnotations.Add(new Annotation(name, e.TsNs, e.TsNs + e.DurNs));
                break;
            case Kind.GpuAnnotation when e.NameText is { } name:
                _gpuAnnotations.Add(new Annotation(name, e.TsNs, e.TsNs + e.DurNs));
                break;
        }
    }

    public ProfilerTrace Finish(string source, string? failure)
    {
        var skipped = _skipped.Select(s => s with { Source = source }).ToList();
        if (failure is not null)
        {
            _complete = false;
            skipped.Add(new SkippedInput(source, 0, failure));
        }

        if (_untimed > 0)
        {
            skipped.Add(new SkippedInput(source, 0, $"{_untimed:N0} events without ts or dur"));
        }

        var categories = KernelClassifier.All.Count;
        var totals = new double[categories];
        var calls = new long[_names.Count];
        var nameSeconds = new double[_names.Count];
        foreach (var k in _kernels)
        {
            totals[(int)_names[k.NameId].Category] += k.DurNs / 1e9;
            calls[k.NameId]++;
            nameSeconds[k.NameId] += k.DurNs / 1e9;
        }

        var (steps, outside) = AssignSteps(skipped, source);
        var names = Enumerable.Range(0, _names.Count)
            .Select(i => new KernelSummary(_names[i].Name, _names[i].Category, calls[i], nameSeconds[i]))
            .OrderByDescending(k => k.Seconds).ThenBy(k => k.Name, StringComparer.Ordinal).ToImmutableArray();
        return ProfilerTrace.Create(source, _events, _kernels.Count, BytesRead, _device, steps, [.. totals], [.. outside], names, _complete, [.. skipped]);
    }

    private (ImmutableArray<TraceStep> Steps, double[] Outside) AssignSteps(List<SkippedInput> skipped, string source)
    {
        var categories = KernelClassifier.All.Count;
        var outside = new double[categories];
        var (anchors, onGpu) = Anchors();
        if (anchors.Count == 0)
        {
            foreach (var k in _kernels)
            {
                outside[(int)_names[k.NameId].Category] += k.DurNs / 1e9;
            }

            if (_kernels.Count > 0)
            {
                skipped.Add(new SkippedInput(source, 0, "no step annotations (ProfilerStep#N, gpu_model_runner: forward): kernel time is for the whole trace"));
            }

            return ([], outside);
        }

        var starts = anchors.Select(a => a.StartNs).ToArray();
        var sums = new double[anchors.Count, categories];
        var counts = new long[anchors.Count];
        var ends = anchors.Select((a, i) => i + 1 < anchors.Count ? anchors[i + 1].StartNs : a.EndNs).ToArray();
        Dictionary<long, long>? launchTimes = null;
        if (!onGpu)
        {
            launchTimes = new Dictionary<long, long>(_launches.Count);
            foreach (var l in _launches)
            {
                launchTimes[l.Correlation] = l.TsNs;
            }
        }

        long unjoined = 0;
        foreach (var k in _kernels)
        {
            var category = (int)_names[k.NameId].Category;
            long at;
            if (onGpu)
            {
                at = k.StartNs;
            }
            else if (launchTimes!.TryGetValue(k.Correlation, out var launched))
            {
                at = launched;
            }
            else
            {
                unjoined++;
                outside[category] += k.DurNs / 1e9;
                continue;
            }

            var i = Array.BinarySearch(starts, at);
            i = i >= 0 ? i : ~i - 1;
            var last = anchors.Count - 1;
            if (i < 0 || (i == last && !onGpu && at > anchors[last].EndNs))
            {
                outside[category] += k.DurNs / 1e9;
                continue;
            }

            sums[i, category] += k.DurNs / 1e9;
            counts[i]++;
            if (onGpu && i == last)
            {
                ends[i] = Math.Max(ends[i], k.StartNs + k.DurNs);
            }
        }

        if (unjoined > 0)
        {
            skipped.Add(new SkippedInput(source, 0, $"{unjoined:N0} kernels whose launch is not in the trace: counted outside the steps"));
        }

        var steps = ImmutableArray.CreateBuilder<TraceStep>(anchors.Count);
        for (var i = 0; i < anchors.Count; i++)
        {
            var row = new double[categories];
            for (var c = 0; c < categories; c++)
            {
                row[c] = sums[i, c];
            }

            steps.Add(new TraceStep(i, anchors[i].Name, anchors[i].StartNs / 1e3, ends[i] / 1e3, [.. row], counts[i]));
        }

        return (steps.MoveToImmutable(), outside);
    }

    private (List<Annotation> Anchors, bool OnGpu) Anchors()
    {
        var wanted = new List<Func<string, bool>>();
        if (options.StepAnnotation is { Length: > 0 } custom)
        {
            wanted.Add(n => n.StartsWith(custom, StringComparison.Ordinal));
        }

        wanted.Add(n => n.StartsWith(ProfilerStep, StringComparison.Ordinal));
        wanted.Add(n => n == VllmForward);
        foreach (var match in wanted)
        {
            foreach (var (list, onGpu) in new[] { (_gpuAnnotations, true), (_cpuAnnotations, false) })
            {
                var found = list.Where(a => match(a.Name)).OrderBy(a => a.StartNs).ToList();
                if (found.Count > 0)
                {
                    return (found, onGpu);
                }
            }
        }

        return ([], true);
    }

    // Kineto writes times as µs with up to three decimals (ns); parsed exactly, not through double.
    internal static bool TryNanoseconds(ReadOnlySpan<byte> text, out long nanoseconds)
    {
        nanoseconds = 0;
        var negative = text.Length > 0 && text[0] == (byte)'-';
        var i = negative ? 1 : 0;
        long whole = 0;
        var digits = 0;
        for (; i < text.Length && text[i] is >= (byte)'0' and <= (byte)'9'; i++, digits++)
        {
            if (whole > (long.MaxValue / 10_000) - 1)
            {
                return false;
            }

            whole = (whole * 10) + (text[i] - '0');
        }

        long fraction = 0;
        var scale = 1000;
        if (i < text.Length && text[i] == (byte)'.')
        {
            for (i++; i < text.Length && text[i] is >= (byte)'0' and <= (byte)'9'; i++, digits++)
            {
                if (scale > 1)
                {
                    scale /= 10;
                    fraction += (text[i] - '0') * scale;
                }
            }
        }

        if (i < text.Length)
        {
            // Exponent form (1.5e+06): rare; through double.
            if (!Utf8Parser.TryParse(text, out double value, out var used, 'e') || used != text.Length || !double.IsFinite(value) || Math.Abs(value) > 9e12)
            {
                return false;
            }

            nanoseconds = (long)Math.Round(value * 1e3);
            return true;
        }

        if (digits == 0)
        {
            return false;
        }

        nanoseconds = checked((whole * 1000) + fraction);
        if (negative)
        {
            nanoseconds = -nanoseconds;
        }

        return true;
    }

    [StructLayout(LayoutKind.Auto)]
    private readonly record struct KernelRecord(long StartNs, long DurNs, int NameId, long Correlation);

    private readonly record struct Launch(long Correlation, long TsNs);

    private sealed record Annotation(string Name, long StartNs, long EndNs);
}

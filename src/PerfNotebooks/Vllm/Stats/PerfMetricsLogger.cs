using System.Globalization;
using System.Text;
using PerfNotebooks.Internal;

namespace PerfNotebooks.Vllm.Stats;

/// <summary>
/// The periodic MFU logger (vLLM's <c>PerfMetricsLogging</c>): accumulates step stats and, when asked, formats the
/// average TF/s and GB/s per GPU since the last log, plus the debug details JSON when debug stats are on.
/// </summary>
/// <remarks>
/// Throughput is the per-GPU total divided by the elapsed time, and 0.0 when the elapsed time is not positive, as
/// the reference does (it does not divide the window by the pipeline stages). One deliberate difference: where
/// vLLM's debug log divides the calculation time by a zero elapsed time and raises <c>ZeroDivisionError</c>, this
/// logger emits the main message, skips the details and says why.
/// </remarks>
public sealed class PerfMetricsLogger
{
    private static readonly string[] ContextKeys =
    [
        "num_prefill_requests", "prefill_num_tokens", "prefill_context_len", "prefill_token_context_product",
        "num_decode_requests", "decode_num_tokens", "decode_context_len", "decode_token_context_product",
    ];

    private readonly bool _debug;
    private readonly VllmRevision _revision;
    private int _observed;
    private LogOutput? _crash;
    private readonly Dictionary<string, Int128> _context = new(StringComparer.Ordinal);
    private readonly List<string> _contextOrder = [];
    private readonly OrderedSums _flops = new();
    private readonly OrderedSums _reads = new();
    private readonly OrderedSums _writes = new();
    private Int128 _totalFlops;
    private Int128 _totalReads;
    private Int128 _totalWrites;
    private double _calcSeconds;
    private long _prefillRequests;
    private long _decodeRequests;
    private long _batches;

    /// <summary>Creates a logger; with <paramref name="debug"/> it also formats the details (vLLM's <c>VLLM_DEBUG_MFU_METRICS</c>).</summary>
    public PerfMetricsLogger(bool debug)
        : this(debug, VllmRevision.V2025_12)
    {
    }

    /// <summary>
    /// Creates a logger in the format of <paramref name="revision"/>: <c>TF/s/GPU</c> (2025-12) or
    /// <c>TF/s/device</c> (2026-09).
    /// </summary>
    /// <remarks>Upstream quirk kept for 2026-09: with <paramref name="debug"/> on, the debug logger's first observe
    /// raises <c>TypeError</c> (it adds the batch's new <c>requests</c> list to an int), so nothing is ever logged;
    /// <see cref="Log"/> then reports that error (<see cref="LogOutput.Error"/>, phase <c>observe</c>, step 0).</remarks>
    public PerfMetricsLogger(bool debug, VllmRevision revision)
    {
        _debug = debug;
        _revision = revision;
    }

    /// <summary>The unit suffix of the MFU line: <c>GPU</c> at 2025-12, <c>device</c> from 2026-09.</summary>
    public static string DeviceWord(VllmRevision revision) => revision.Ordinal >= VllmRevision.V2026_09.Ordinal ? "device" : "GPU";

    /// <summary>
    /// vLLM's MFU info line for per-GPU totals over <paramref name="elapsedSeconds"/>, in the format of
    /// <paramref name="revision"/>: <c>{prefix}MFU: 44.3 TF/s/device 19.2 GB/s/device</c> (rates 0.0 when the elapsed
    /// time is not positive).
    /// </summary>
    public static string FormatLine(VllmRevision revision, Int128 flops, Int128 readBytes, Int128 writeBytes, double elapsedSeconds, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var teraflops = elapsedSeconds > 0 ? PyFloat.FromInt(flops) / elapsedSeconds / 1e12 : 0.0;
        var gigabytes = elapsedSeconds > 0 ? PyFloat.FromInt(checked(readBytes + writeBytes)) / elapsedSeconds / 1e9 : 0.0;
        var unit = DeviceWord(revision);
        return $"{prefix}MFU: {PyFloat.Fixed(teraflops, 1)} TF/s/{unit} {PyFloat.Fixed(gigabytes, 1)} GB/s/{unit}";
    }

    /// <summary>Adds one step's stats.</summary>
    /// <exception cref="ArgumentException">Debug logging is on and the stats carry no debug detail.</exception>
    public void Observe(PerfStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        _totalFlops = checked(_totalFlops + stats.Flops);
        _totalReads = checked(_totalReads + stats.ReadBytes);
        _totalWrites = checked(_totalWrites + stats.WriteBytes);
        var step = _observed++;
        if (!_debug || _crash is not null)
        {
            return;
        }

        if (_revision.Ordinal >= VllmRevision.V2026_09.Ordinal)
        {
            _crash = new LogOutput([], [], "TypeError", "vLLM 2026-09's debug MFU logger adds the batch's requests list to an int on its first observe and raises; nothing is logged")
            {
                ErrorPhase = "observe",
                ErrorStep = step,
                ErrorMessage = "unsupported operand type(s) for +: 'int' and 'list'",
            };
            return;
        }

        var debug = stats.Debug ?? throw new InvalidValueException("debug logging needs stats computed with debug on");
        _calcSeconds += debug.CalcDurationSeconds;
        _prefillRequests += debug.PrefillRequests;
        _decodeRequests += debug.DecodeRequests;
        _batches++;
        var c = debug.Context;
        Int128[] values =
        [
            c.PrefillRequests, c.PrefillTokens, c.PrefillContextLength, c.PrefillTokenContextProduct,
            c.DecodeRequests, c.DecodeTokens, c.DecodeContextLength, c.DecodeTokenContextProduct,
        ];
        for (var i = 0; i < ContextKeys.Length; i++)
        {
            if (!_context.TryGetValue(ContextKeys[i], out var sum))
            {
                _contextOrder.Add(ContextKeys[i]);
            }

            _context[ContextKeys[i]] = checked(sum + values[i]);
        }

        _flops.Add(debug.Flops);
        _reads.Add(debug.ReadBytes);
        _writes.Add(debug.WriteBytes);
    }

    /// <summary>
    /// Formats the averages over <paramref name="elapsedSeconds"/> since the last log, then resets. Returns nothing
    /// when nothing was observed.
    /// </summary>
    public LogOutput Log(double elapsedSeconds, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (_crash is { } crash)
        {
            return crash;
        }

        if (_totalFlops == 0 && _totalReads == 0 && _totalWrites == 0)
        {
            return LogOutput.Nothing;
        }

        string message = FormatLine(_revision, _totalFlops, _totalReads, _totalWrites, elapsedSeconds, prefix);

        LogOutput output;
        if (!_debug)
        {
            output = new LogOutput([message], [], null, null);
        }
        else if (elapsedSeconds == 0)
        {
            output = new LogOutput([message], [], "ZeroDivisionError",
                "MFU details skipped: the elapsed time is zero, so the calculation overhead (calc time / elapsed) is undefined");
        }
        else
        {
            output = new LogOutput([message], [prefix + "MFU details: " + Details(elapsedSeconds)], null, null);
        }

        Reset();
        return output;
    }

    private string Details(double elapsedSeconds)
    {
        var json = new PyJsonWriter();
        json.BeginObject();
        json.Key("prefill_reqs").Number(_prefillRequests);
        json.Key("decode_reqs").Number(_decodeRequests);
        json.Key("num_batches").Number(_batches);
        json.Key("context_breakdown").BeginObject();
        foreach (var key in _contextOrder)
        {
            json.Key(key).Number(_context[key]);
        }

        json.EndObject();
        WriteScaled(json, "flops_breakdown", _flops, 1e12, "TF");
        WriteScaled(json, "num_read_bytes_breakdown", _reads, 1e9, "GB");
        WriteScaled(json, "num_write_bytes_breakdown", _writes, 1e9, "GB");
        json.Key("duration").String(PyFloat.Fixed(elapsedSeconds, 1) + "s");
        json.Key("mfu_calc_overhead").String(PyFloat.Percent(_calcSeconds / elapsedSeconds, 1));
        json.EndObject();
        return json.ToString();
    }

    private static void WriteScaled(PyJsonWriter json, string name, OrderedSums sums, double scale, string unit)
    {
        json.Key(name).BeginObject();
        foreach (var (key, value) in sums.Items)
        {
            json.Key(key).String(PyFloat.Fixed(PyFloat.FromInt(value) / scale, 1) + unit);
        }

        json.EndObject();
    }

    private void Reset()
    {
        _totalFlops = _totalReads = _totalWrites = 0;
        _calcSeconds = 0;
        _prefillRequests = _decodeRequests = _batches = 0;
        _context.Clear();
        _contextOrder.Clear();
        _flops.Clear();
        _reads.Clear();
        _writes.Clear();
    }

    private sealed class OrderedSums
    {
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
        private readonly List<(string Key, Int128 Value)> _items = [];

        public IEnumerable<(string Key, Int128 Value)> Items => _items;

        public void Add(Breakdown breakdown)
        {
            foreach (var term in breakdown)
            {
                if (_index.TryGetValue(term.Qualified, out var i))
                {
                    _items[i] = (term.Qualified, checked(_items[i].Value + term.Value));
                }
                else
                {
                    _index[term.Qualified] = _items.Count;
                    _items.Add((term.Qualified, term.Value));
                }
            }
        }

        public void Clear()
        {
            _index.Clear();
            _items.Clear();
        }
    }

    /// <summary>Writes JSON as Python's <c>json.dumps(obj, indent=2)</c> does.</summary>
    private sealed class PyJsonWriter
    {
        private readonly StringBuilder _text = new();
        private readonly Stack<int> _counts = new();
        public PyJsonWriter BeginObject()
        {
            _text.Append('{');
            _counts.Push(0);
            return this;
        }

        public PyJsonWriter EndObject()
        {
            var count = _counts.Pop();
            if (count > 0)
            {
                _text.Append('\n').Append(' ', 2 * _counts.Count);
            }

            _text.Append('}');
            return this;
        }

        public PyJsonWriter Key(string key)
        {
            var count = _counts.Pop();
            _text.Append(count > 0 ? ",\n" : "\n").Append(' ', 2 * (_counts.Count + 1));
            _counts.Push(count + 1);
            AppendString(key);
            _text.Append(": ");
            return this;
        }

        public PyJsonWriter Number(Int128 value)
        {
            _text.Append(value.ToString(CultureInfo.InvariantCulture));
            return this;
        }

        public PyJsonWriter String(string value)
        {
            AppendString(value);
            return this;
        }

        public override string ToString() => _text.ToString();

        private void AppendString(string value)
        {
            _text.Append('"');
            foreach (var c in value)
            {
                switch (c)
                {
                    case '"': _text.Append("\\\""); break;
                    case '\\': _text.Append("\\\\"); break;
                    case '\n': _text.Append("\\n"); break;
                    case '\r': _text.Append("\\r"); break;
                    case '\t': _text.Append("\\t"); break;
                    default:
                        if (c < 0x20 || c > 0x7e)
                        {
                            _text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            _text.Append(c);
                        }

                        break;
                }
            }

            _text.Append('"');
        }
    }
}

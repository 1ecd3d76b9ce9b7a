using System.Collections.Immutable;
using System.Globalization;

namespace PerfNotebooks.Measured;

/// <summary>
/// One scrape of a Prometheus <c>/metrics</c> endpoint in the text exposition format (version 0.0.4): every sample
/// with its labels, and the <c># TYPE</c> of each metric family. A line that is not a comment and not a whole sample is
/// listed in <see cref="Skipped"/>.
/// </summary>
/// <remarks>Format: <c>name{label="value",…} value [timestamp_ms]</c>; values may be <c>+Inf</c>, <c>-Inf</c> or
/// <c>NaN</c>; label values escape <c>\\</c>, <c>\"</c> and <c>\n</c> (prometheus.io, "Exposition formats").</remarks>
public sealed class PrometheusScrape
{
    private PrometheusScrape(string source, ImmutableArray<PrometheusSample> samples, ImmutableDictionary<string, string> types, ImmutableArray<SkippedInput> skipped, long? timestampMs)
    {
        Source = source;
        Samples = samples;
        Types = types;
        Skipped = skipped;
        TimestampMilliseconds = timestampMs;
    }

    /// <summary>The file (or stream name).</summary>
    public string Source { get; }

    /// <summary>Every sample, in order.</summary>
    public ImmutableArray<PrometheusSample> Samples { get; }

    /// <summary>Metric family → type (<c>counter</c>, <c>gauge</c>, <c>histogram</c>, …) from the <c># TYPE</c> lines.</summary>
    public ImmutableDictionary<string, string> Types { get; }

    /// <summary>Lines that could not be read.</summary>
    public ImmutableArray<SkippedInput> Skipped { get; }

    /// <summary>The latest sample timestamp, when the exposition carries timestamps (milliseconds since the epoch).</summary>
    public long? TimestampMilliseconds { get; }

    /// <summary>Reads a scrape saved to a file (<c>curl -s host:8000/metrics &gt; scrape.txt</c>).</summary>
    public static PrometheusScrape Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"scrape file '{path}' not found", path);
        }

        using var reader = new StreamReader(path);
        return Read(reader, path);
    }

    /// <summary>Reads a scrape from <paramref name="reader"/>.</summary>
    public static PrometheusScrape Read(TextReader reader, string source = "scrape")
    {
        ArgumentNullException.ThrowIfNull(reader);
        var samples = ImmutableArray.CreateBuilder<PrometheusSample>();
        var types = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        var skipped = ImmutableArray.CreateBuilder<SkippedInput>();
        long? timestamp = null;
        long n = 0;
        while (reader.ReadLine() is { } raw)
        {
            n++;
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line[0] == '#')
            {
                var parts = line.Split(' ', 4, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 4 && parts[1] == "TYPE")
                {
                    types[parts[2]] = parts[3].Trim();
                }

                continue;
            }

            if (TryParseSample(line, out var sample, out var ts, out var error))
            {
                samples.Add(sample);
                if (ts is { } t)
                {
                    timestamp = Math.Max(timestamp ?? long.MinValue, t);
                }
            }
            else
            {
                skipped.Add(new SkippedInput(source, n, error));
            }
        }

        return new PrometheusScrape(source, samples.ToImmutable(), types.ToImmutable(), skipped.ToImmutable(), timestamp);
    }

    private static bool TryParseSample(string line, out PrometheusSample sample, out long? timestamp, out string error)
    {
        sample = null!;
        timestamp = null;
        var i = 0;
        while (i < line.Length && line[i] is not ('{' or ' ' or '\t'))
        {
            i++;
        }

        var name = line[..i];
        if (name.Length == 0)
        {
            error = "sample line without a metric name";
            return false;
        }

        var labels = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>();
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (true)
            {
                while (i < line.Length && line[i] is ' ' or ',')
                {
                    i++;
                }

                if (i < line.Length && line[i] == '}')
                {
                    i++;
                    break;
                }

                var eq = line.IndexOf('=', i);
                if (eq < 0 || eq + 1 >= line.Length || line[eq + 1] != '"')
                {
                    error = $"{name}: labels cut short";
                    return false;
                }

                var key = line[i..eq].Trim();
                var value = new System.Text.StringBuilder();
                var j = eq + 2;
                var closed = false;
                for (; j < line.Length; j++)
                {
                    var c = line[j];
                    if (c == '\\' && j + 1 < line.Length)
                    {
                        j++;
                        value.Append(line[j] == 'n' ? '\n' : line[j]);
                    }
                    else if (c == '"')
                    {
                        closed = true;
                        break;
                    }
                    else
                    {
                        value.Append(c);
                    }
                }

                if (!closed)
                {
                    error = $"{name}: label '{key}' cut short";
                    return false;
                }

                labels.Add(new(key, value.ToString()));
                i = j + 1;
            }
        }

        var rest = line[i..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (rest.Length is 0 or > 2 || !TryParseValue(rest[0], out var v))
        {
            error = $"{name}: no value, or a value that is not a number ('{(rest.Length > 0 ? rest[0] : string.Empty)}')";
            return false;
        }

        if (rest.Length == 2)
        {
            if (!long.TryParse(rest[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var t))
            {
                error = $"{name}: timestamp '{rest[1]}' is not an integer";
                return false;
            }

            timestamp = t;
        }

        sample = new PrometheusSample(name, labels.ToImmutable(), v);
        error = string.Empty;
        return true;
    }

    private static bool TryParseValue(string text, out double value)
    {
        switch (text)
        {
            case "+Inf" or "Inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf":
                value = double.NegativeInfinity;
                return true;
            case "NaN":
                value = double.NaN;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }
}

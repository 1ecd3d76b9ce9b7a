using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using PerfNotebooks.Models;
using PerfNotebooks.Vllm.Components;
using PerfNotebooks.Vllm.Profiling;
using PerfNotebooks.Vllm.Stats;
namespace PerfNotebooks.Vllm.Interop;

/// <summary>
/// Evaluates one line in any of the golden-file formats (a case, an override case, scheduler steps with an optional
/// log window, engine settings, a profiler config with its <c>env</c>) and writes one JSON line with the input's
/// <c>id</c> and the fields of that format's <c>expected</c>. Keys it does not use (such as <c>expected</c>) are
/// ignored. An input that cannot be built gives an <c>error</c> field instead. Integers are exact JSON numbers.
/// </summary>
/// <remarks>Every line is evaluated with the accounting of one vLLM revision (<see cref="Revision"/>): 2025-12 writes
/// the formats of <c>shared/golden</c>, 2026-09 those of <c>shared/golden-latest</c> (<c>resolved.kv_cache_dtype</c>,
/// the batch's <c>requests</c>, the <c>prom</c> counter increments, the debug logger's crash as <c>log.error</c>).</remarks>
/// <param name="loadConfig">Loads the config a line's <c>config</c> value names (a file in a configs folder, a catalog model).</param>
/// <param name="revision">The vLLM revision to reproduce; it replaces any revision of a line's engine settings.</param>
public sealed class LineEvaluator(Func<string, HfConfig> loadConfig, VllmRevision revision)
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly Dictionary<string, HfConfig> _configs = new(StringComparer.Ordinal);

    /// <summary>Creates an evaluator for <see cref="VllmRevision.Default"/>.</summary>
    /// <param name="loadConfig">Loads the config a line's <c>config</c> value names.</param>
    public LineEvaluator(Func<string, HfConfig> loadConfig)
        : this(loadConfig, VllmRevision.Default)
    {
    }

    /// <summary>The vLLM revision every line is evaluated with.</summary>
    public VllmRevision Revision { get; } = revision;

    private bool Latest => Revision.Ordinal >= VllmRevision.V2026_09.Ordinal;

    /// <summary>Evaluates one input line and returns the output line (without a newline).</summary>
    public string Evaluate(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            JsonObject? input = null;
            try
            {
                input = JsonNode.Parse(line) as JsonObject ?? throw new FormatException("a line must be a JSON object");
                if (input.TryGetPropertyValue("id", out var id) && id is not null)
                {
                    writer.WritePropertyName("id");
                    id.WriteTo(writer);
                }

                // Implementation note: results are written to a scratch node first, so a failure halfway leaves
                // only the id and the error on the line rather than half a result.
                var body = new ArrayBufferWriter<byte>();
                using (var inner = new Utf8JsonWriter(body, WriterOptions))
                {
                    inner.WriteStartObject();
                    Dispatch(input, inner);
                    inner.WriteEndObject();
                }

                using var parsed = JsonDocument.Parse(body.WrittenMemory);
                foreach (var property in parsed.RootElement.EnumerateObject())
                {
                    property.WriteTo(writer);
                }
            }
            catch (EngineConfigException e)
            {
                writer.WriteString("error", e.Message);
                writer.WriteString("error_kind", e.KindName);
                writer.WriteString("setting", e.Setting);
                writer.WriteString("value", e.Value);
            }
            catch (Exception e) when (e is ModelConfigException or HubException or FormatException or JsonException or ArgumentException or OverflowException or KeyNotFoundException)
            {
                writer.WriteString("error", e.Message);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private void Dispatch(JsonObject input, Utf8JsonWriter writer)
    {
        if (input.ContainsKey("input"))
        {
            WriteProfiler(input, writer);
        }
        else if (input.ContainsKey("steps"))
        {
            WriteSteps(input, writer);
        }
        else
        {
            var metrics = Build(input);
            WriteModel(metrics, writer);
            if (input.TryGetPropertyValue("requests", out var requests))
            {
                WriteCase(metrics, requests, input, writer);
            }
        }
    }

    private ModelMetrics Build(JsonObject input)
    {
        var name = JsonInput.Text(input["config"], "config");
        if (!_configs.TryGetValue(name, out var config))
        {
            config = loadConfig(name);
            _configs[name] = config;
        }

        var engine = JsonInput.Engine(input["engine"] as JsonObject) with { Vllm = Revision };
        return ModelMetrics.Create(ModelSource.Resolve(config, engine));
    }

    private void WriteModel(ModelMetrics metrics, Utf8JsonWriter writer)
    {
        writer.WriteStartObject("resolved");
        writer.WriteString("model_dtype", metrics.Source.Dtype.VllmName());
        writer.WriteString("quant_method", metrics.Source.QuantMethod);
        if (Latest)
        {
            writer.WriteString("kv_cache_dtype", metrics.Source.KvCacheDtype);
        }

        writer.WriteEndObject();
        writer.WriteStartArray("enabled_components");
        foreach (var component in metrics.Components)
        {
            writer.WriteStringValue(component.Name);
        }

        writer.WriteEndArray();
        writer.WriteStartObject("invalid_components");
        foreach (var skipped in metrics.Outcomes.OfType<ComponentOutcome.Skipped>())
        {
            writer.WriteString(skipped.Name, skipped.ReasonName);
        }

        writer.WriteEndObject();
        writer.WriteStartObject("invalid_details");
        foreach (var skipped in metrics.Outcomes.OfType<ComponentOutcome.Skipped>())
        {
            writer.WriteString(skipped.Name, skipped.Detail);
        }

        writer.WriteEndObject();
        writer.WriteStartObject("components");
        foreach (var component in metrics.Components)
        {
            writer.WriteStartObject(component.Name);
            foreach (var field in component.Fields)
            {
                if (field.Value is { } value)
                {
                    writer.WriteNumber(field.Name, value);
                }
                else
                {
                    writer.WriteNull(field.Name);
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private void WriteCase(ModelMetrics metrics, JsonNode? requests, JsonObject input, Utf8JsonWriter writer)
    {
        var ctx = Batch.Empty;
        if (requests is not JsonArray list)
        {
            throw JsonInput.Bad("requests", requests, "a list");
        }

        foreach (var item in list)
        {
            if (item is not JsonObject request)
            {
                throw JsonInput.Bad("requests[]", item, "an object");
            }

            ctx = ctx.Add(
                JsonInput.Count(request["num_tokens"], "num_tokens"),
                JsonInput.Count(request["context_len"], "context_len"),
                JsonInput.Bool(request["is_prefill"], "is_prefill"));
        }

        var scope = input.TryGetPropertyValue("per_gpu", out var perGpu) && perGpu is not null && !JsonInput.Bool(perGpu, "per_gpu")
            ? Scope.WholeModel
            : Scope.PerGpu;
        WriteContext(writer, "context", ctx);
        var flops = metrics.Flops(ctx, scope);
        var reads = metrics.ReadBytes(ctx, scope);
        var writes = metrics.WriteBytes(ctx, scope);
        ExactJson.WriteBreakdown(writer, "flops", flops);
        ExactJson.WriteBreakdown(writer, "read_bytes", reads);
        ExactJson.WriteBreakdown(writer, "write_bytes", writes);
        ExactJson.WriteInt(writer, "total_flops", flops.Total);
        ExactJson.WriteInt(writer, "total_read_bytes", reads.Total);
        ExactJson.WriteInt(writer, "total_write_bytes", writes.Total);
    }

    // A "steps" line: each scheduler step's stats, then what vLLM exports for them (Prometheus counters from 2026-09)
    // and, when asked, the MFU log line.
    private void WriteSteps(JsonObject input, Utf8JsonWriter writer)
    {
        var metrics = Build(input);
        var debug = input.TryGetPropertyValue("debug", out var d) && d is not null && JsonInput.Bool(d, "debug");
        var log = input["log"] is { } logNode ? logNode as JsonObject ?? throw JsonInput.Bad("log", logNode, "an object") : null;
        var durations = log?["calc_durations"] is { } durationNode ? durationNode as JsonArray ?? throw JsonInput.Bad("log.calc_durations", durationNode, "a list of numbers") : null;
        if (input["steps"] is not JsonArray steps)
        {
            throw JsonInput.Bad("steps", input["steps"], "a list");
        }

        var logger = new PerfMetricsLogger(debug, Revision);
        var counters = new PrometheusCounters(string.Empty);
        writer.WriteStartArray("steps");
        for (var i = 0; i < steps.Count; i++)
        {
            var stats = metrics.StepStats(ReadStep(steps[i]), debug);
            if (debug && durations is not null && i < durations.Count)
            {
                stats = stats with { Debug = stats.Debug! with { CalcDurationSeconds = JsonInput.Number(durations[i], $"log.calc_durations[{i}]") } };
            }

            logger.Observe(stats);
            counters = counters.Observe(stats);
            WriteStepStats(writer, stats);
        }

        writer.WriteEndArray();
        if (Latest)
        {
            WritePrometheusIncrements(writer, counters);
        }

        if (log is not null)
        {
            WriteLog(writer, log, logger);
        }
    }

    private void WriteStepStats(Utf8JsonWriter writer, PerfStats stats)
    {
        writer.WriteStartObject();
        ExactJson.WriteInt(writer, "num_flops_per_gpu", stats.Flops);
        ExactJson.WriteInt(writer, "num_read_bytes_per_gpu", stats.ReadBytes);
        ExactJson.WriteInt(writer, "num_write_bytes_per_gpu", stats.WriteBytes);
        if (stats.Debug is { } detail)
        {
            writer.WriteStartObject("debug");
            writer.WriteNumber("num_prefill_requests", detail.PrefillRequests);
            writer.WriteNumber("num_decode_requests", detail.DecodeRequests);
            WriteContext(writer, "context_breakdown", detail.Context);
            ExactJson.WriteBreakdown(writer, "num_flops_per_gpu_breakdown", detail.Flops);
            ExactJson.WriteBreakdown(writer, "num_read_bytes_per_gpu_breakdown", detail.ReadBytes);
            ExactJson.WriteBreakdown(writer, "num_write_bytes_per_gpu_breakdown", detail.WriteBytes);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WritePrometheusIncrements(Utf8JsonWriter writer, PrometheusCounters counters)
    {
        writer.WriteStartObject("prom");
        foreach (var (name, metric) in new[] { ("flops", Metric.Flops), ("read_bytes", Metric.ReadBytes), ("write_bytes", Metric.WriteBytes) })
        {
            writer.WriteStartArray(name);
            foreach (var increment in counters.Increments)
            {
                ExactJson.WriteIntValue(writer, increment[metric]);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteLog(Utf8JsonWriter writer, JsonObject log, PerfMetricsLogger logger)
    {
        var elapsed = JsonInput.Number(log["delta_time"], "log.delta_time");
        var prefix = log["prefix"] is { } p ? JsonInput.Text(p, "prefix") : string.Empty;
        var output = logger.Log(elapsed, prefix);
        writer.WriteStartObject("log");
        writer.WriteStartArray("log_fn_messages");
        foreach (var message in output.Messages)
        {
            writer.WriteStringValue(message);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("debug_messages");
        foreach (var message in output.DebugMessages)
        {
            writer.WriteStringValue(message);
        }

        writer.WriteEndArray();
        writer.WriteString("error", output.Error);
        if (output.ErrorPhase is not null)
        {
            writer.WriteString("error_phase", output.ErrorPhase);
            writer.WriteNumber("error_step", output.ErrorStep ?? 0);
            writer.WriteString("error_message", output.ErrorMessage);
        }

        writer.WriteEndObject();
        if (output.Note is not null)
        {
            writer.WriteString("log_note", output.Note);
        }
    }

    private static SchedulerStep ReadStep(JsonNode? node)
    {
        if (node is not JsonObject step)
        {
            throw JsonInput.Bad("steps[]", node, "an object");
        }

        var newRequests = new List<NewRequest>();
        foreach (var entry in step["scheduled_new_reqs"] as JsonArray ?? [])
        {
            var item = entry as JsonObject ?? throw JsonInput.Bad("scheduled_new_reqs[]", entry, "an object");
            newRequests.Add(new NewRequest(
                JsonInput.Text(item["req_id"], "req_id"),
                JsonInput.Count(item["num_computed_tokens"], "num_computed_tokens")));
        }

        var cached = step["scheduled_cached_reqs"] as JsonObject;
        var ids = (cached?["req_ids"] as JsonArray ?? []).Select(n => JsonInput.Text(n, "req_ids")).ToList();
        var computed = (cached?["num_computed_tokens"] as JsonArray ?? []).Select(n => JsonInput.Count(n, "num_computed_tokens")).ToList();
        var scheduled = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, value) in step["num_scheduled_tokens"] as JsonObject ?? [])
        {
            scheduled[key] = JsonInput.Count(value, "num_scheduled_tokens." + key);
        }

        return SchedulerStep.Create(newRequests, ids, computed, scheduled);
    }

    private static void WriteProfiler(JsonObject input, Utf8JsonWriter writer)
    {
        var env = input["env"] as JsonObject;
        var environment = env is null
            ? ProfilerEnvironment.Current
            : new ProfilerEnvironment(
                env["HOME"] is { } home ? JsonInput.Text(home, "HOME") : "/",
                env["cwd"] is { } cwd ? JsonInput.Text(cwd, "cwd") : "/");
        var settings = input["input"] as JsonObject ?? throw JsonInput.Bad("input", input["input"], "an object");
        var result = ProfilerConfig.Validate(settings, environment);
        writer.WriteBoolean("ok", result.Ok);
        writer.WriteBoolean("warning", result.Warning);
        writer.WritePropertyName("config");
        if (result.Config is { } config)
        {
            config.ToJson().WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WritePropertyName("error");
        if (result.Error is { } error)
        {
            writer.WriteStartObject();
            writer.WriteString("kind", error.Kind);
            writer.WriteString("message", error.Kind == "field" ? null : error.Message);
            writer.WriteStartArray("fields");
            foreach (var field in error.Fields)
            {
                writer.WriteStringValue(field);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteString("error_detail", error.Message);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private void WriteContext(Utf8JsonWriter writer, string name, Batch ctx)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("num_prefill_requests", ctx.PrefillRequests);
        writer.WriteNumber("prefill_num_tokens", ctx.PrefillTokens);
        writer.WriteNumber("prefill_context_len", ctx.PrefillContextLength);
        ExactJson.WriteInt(writer, "prefill_token_context_product", ctx.PrefillTokenContextProduct);
        writer.WriteNumber("num_decode_requests", ctx.DecodeRequests);
        writer.WriteNumber("decode_num_tokens", ctx.DecodeTokens);
        writer.WriteNumber("decode_context_len", ctx.DecodeContextLength);
        ExactJson.WriteInt(writer, "decode_token_context_product", ctx.DecodeTokenContextProduct);
        if (Latest)
        {
            writer.WriteStartArray("requests");
            foreach (var request in ctx.Requests)
            {
                writer.WriteStartArray();
                writer.WriteNumberValue(request.Tokens);
                writer.WriteNumberValue(request.ContextLength);
                writer.WriteBooleanValue(request.IsPrefill);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }
}

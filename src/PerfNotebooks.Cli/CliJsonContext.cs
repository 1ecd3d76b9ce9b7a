using System.Text.Json;
using System.Text.Json.Serialization;

namespace PerfNotebooks.Cli;

/// <summary>Every <c>--json</c> record of the CLI, serialised by generated code (no reflection, so the CLI can be
/// trimmed): snake_case names, indented, a null property left out unless it says otherwise, non-finite reals written as null,
/// <see cref="Int128"/> counts as exact number literals.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.General,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    Converters = [typeof(FiniteDoubleConverter)])]
[JsonSerializable(typeof(StepCommand.StepJson))]
[JsonSerializable(typeof(MemoryCommand.MemoryJson))]
[JsonSerializable(typeof(RooflineCommand.RooflineJson))]
[JsonSerializable(typeof(IReadOnlyList<ModelsCommand.ModelJson>))]
[JsonSerializable(typeof(ServeJson))]
[JsonSerializable(typeof(MeasuredJson.Log))]
[JsonSerializable(typeof(MeasuredJson.Scrape))]
[JsonSerializable(typeof(MeasuredJson.Bench))]
[JsonSerializable(typeof(MeasuredJson.TraceSet))]
[JsonSerializable(typeof(PlanJson.Plan))]
internal sealed partial class CliJsonContext : JsonSerializerContext;

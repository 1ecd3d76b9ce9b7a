using System.Text.Json;
using System.Text.Json.Serialization;

namespace PerfNotebooks.Cli;

/// <summary>A request rate as vllm bench serve's saved result has it (<c>vllm/benchmarks/serve.py</c>): a number, or
/// <c>"inf"</c> when every request is sent at once; null where it is not a number.</summary>
internal sealed class RequestRateConverter : JsonConverter<double?>
{
    public override double? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.String when reader.ValueTextEquals("inf") => double.PositiveInfinity,
            _ => reader.GetDouble(),
        };

    public override void Write(Utf8JsonWriter writer, double? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is double.PositiveInfinity)
        {
            writer.WriteStringValue("inf");
        }
        else if (value is { } v && double.IsFinite(v))
        {
            writer.WriteNumberValue(v);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

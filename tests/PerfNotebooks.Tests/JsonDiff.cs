using System.Numerics;
using System.Text.Json;

namespace PerfNotebooks.Tests;

/// Exact JSON comparison: numbers by their exact value (BigInteger or decimal), objects by key set, arrays in order.
/// Returns the path of the first difference, or null.
public static class JsonDiff
{
    public static string? FirstDifference(JsonElement expected, JsonElement actual, string path = "$")
    {
        if (expected.ValueKind == JsonValueKind.Number && actual.ValueKind == JsonValueKind.Number)
        {
            return SameNumber(expected.GetRawText(), actual.GetRawText())
                ? null
                : $"{path}: expected {expected.GetRawText()}, got {actual.GetRawText()}";
        }

        if (expected.ValueKind != actual.ValueKind)
        {
            return $"{path}: expected {expected.GetRawText()}, got {actual.GetRawText()}";
        }

        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var actualKeys = actual.EnumerateObject().Select(p => p.Name).ToHashSet();
                foreach (var property in expected.EnumerateObject())
                {
                    if (!actual.TryGetProperty(property.Name, out var value))
                    {
                        return $"{path}.{property.Name}: missing (expected {property.Value.GetRawText()})";
                    }

                    if (FirstDifference(property.Value, value, $"{path}.{property.Name}") is { } diff)
                    {
                        return diff;
                    }

                    actualKeys.Remove(property.Name);
                }

                return actualKeys.Count == 0 ? null : $"{path}: unexpected key(s) {string.Join(", ", actualKeys)}";
            case JsonValueKind.Array:
                var e = expected.EnumerateArray().ToList();
                var a = actual.EnumerateArray().ToList();
                if (e.Count != a.Count)
                {
                    return $"{path}: expected {e.Count} items, got {a.Count}";
                }

                for (var i = 0; i < e.Count; i++)
                {
                    if (FirstDifference(e[i], a[i], $"{path}[{i}]") is { } diff)
                    {
                        return diff;
                    }
                }

                return null;
            case JsonValueKind.String:
                return expected.GetString() == actual.GetString()
                    ? null
                    : $"{path}: expected {expected.GetRawText()}, got {actual.GetRawText()}";
            default:
                return null;
        }
    }

    private static bool SameNumber(string expected, string actual)
    {
        if (BigInteger.TryParse(expected, out var e) && BigInteger.TryParse(actual, out var a))
        {
            return e == a;
        }

        return decimal.Parse(expected, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture) ==
               decimal.Parse(actual, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);
    }
}

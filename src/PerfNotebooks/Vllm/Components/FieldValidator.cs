using System.Globalization;
using PerfNotebooks.Vllm.Parsers;

namespace PerfNotebooks.Vllm.Components;

/// <summary>Collects validation failures the way pydantic does: every field checked, all failures reported together.</summary>
internal sealed class FieldValidator(string component, ParsedArgs args)
{
    private readonly List<string> _failures = [];

    public long Positive(long? value, string field) => Check(value, field, v => v > 0, "must be greater than 0");

    public long NonNegative(long? value, string field) => Check(value, field, v => v >= 0, "must be at least 0");

    public void Require(bool condition, string message)
    {
        if (!condition)
        {
            _failures.Add(message);
        }
    }

    public ComponentOutcome.Skipped? Failure => _failures.Count == 0
        ? null
        : new ComponentOutcome.Skipped(component, SkipReason.ValidationError, string.Join("; ", _failures));

    private long Check(long? value, string field, Func<long, bool> rule, string ruleText)
    {
        if (args.Malformed.TryGetValue(field, out var raw))
        {
            _failures.Add($"{field} must be an integer, not {raw}");
            return 0;
        }

        if (value is not { } v)
        {
            _failures.Add($"{field} is missing or null");
            return 0;
        }

        if (!rule(v))
        {
            _failures.Add($"{field} {ruleText}, not {v.ToString(CultureInfo.InvariantCulture)}");
        }

        return v;
    }
}

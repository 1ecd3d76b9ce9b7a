namespace PerfNotebooks.Requests;

/// <summary>
/// Where option values come from: the CLI's parse result, a <c>#!perf</c> line (<see cref="OptionText"/>) or code.
/// The request readers in <see cref="RequestOptions"/> build the same request from any of them.
/// </summary>
public interface IRequestValues
{
    /// <summary>The option's value when it was given; false (and the default) when not.</summary>
    bool TryGet<T>(RequestOption<T> requestOption, out T value);
}

namespace PerfNotebooks.Requests;

/// <summary>Does something with a <see cref="RequestOption{T}"/> whose value type is known only at run time (declaring it in a CLI library, say).</summary>
/// <typeparam name="TResult">What the visit returns.</typeparam>
public interface IRequestOptionVisitor<out TResult>
{
    /// <summary>Visits one option.</summary>
    TResult Visit<T>(RequestOption<T> requestOption);
}

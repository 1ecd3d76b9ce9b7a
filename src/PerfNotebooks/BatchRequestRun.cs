namespace PerfNotebooks;

// Implementation note: a batch keeps its requests as an immutable list of runs of identical requests, newest first,
// so adding a request is one small allocation and AddMany of a million identical requests is one run. Record
// equality compares the runs by value (recursively), so equal batches built either way are equal.
internal sealed record BatchRequestRun(BatchRequestRun? Previous, long Count, long Tokens, long ContextLength, bool IsPrefill)
{
    public long TotalCount { get; } = checked((Previous?.TotalCount ?? 0) + Count);

    public static BatchRequestRun Append(BatchRequestRun? last, long count, long tokens, long contextLength, bool isPrefill) =>
        last is not null && last.Tokens == tokens && last.ContextLength == contextLength && last.IsPrefill == isPrefill
            ? new BatchRequestRun(last.Previous, checked(last.Count + count), tokens, contextLength, isPrefill)
            : new BatchRequestRun(last, count, tokens, contextLength, isPrefill);
}

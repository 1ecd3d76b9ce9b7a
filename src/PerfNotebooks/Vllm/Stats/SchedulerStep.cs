using System.Collections.Immutable;
using System.Numerics;

namespace PerfNotebooks.Vllm.Stats;

/// <summary>
/// One scheduler output, reduced to what the perf model reads: new requests, continuing (cached) requests with their
/// computed tokens, and the tokens scheduled for each. Scheduled counts are matched to requests once, here, so
/// evaluating a step is a pass over arrays.
/// </summary>
public sealed class SchedulerStep
{
    private readonly long[] _newTokens;
    private readonly long[] _newComputed;
    private readonly long[] _cachedTokens;
    private readonly long[] _cachedComputed;

    private SchedulerStep(long[] newTokens, long[] newComputed, long[] cachedTokens, long[] cachedComputed)
    {
        _newTokens = newTokens;
        _newComputed = newComputed;
        _cachedTokens = cachedTokens;
        _cachedComputed = cachedComputed;
    }

    /// <summary>Number of new requests listed (scheduled or not).</summary>
    public int NewRequestCount => _newTokens.Length;

    /// <summary>Number of cached requests listed (scheduled or not).</summary>
    public int CachedRequestCount => _cachedTokens.Length;

    /// <summary>
    /// Builds a step from vLLM's scheduler output fields. A request id absent from <paramref name="scheduledTokens"/>
    /// has 0 scheduled tokens.
    /// </summary>
    /// <exception cref="ArgumentException">The cached ids and computed counts differ in length, or a count is negative.</exception>
    public static SchedulerStep Create(
        IReadOnlyList<NewRequest> newRequests,
        IReadOnlyList<string> cachedRequestIds,
        IReadOnlyList<long> cachedComputedTokens,
        IReadOnlyDictionary<string, long> scheduledTokens)
    {
        ArgumentNullException.ThrowIfNull(newRequests);
        ArgumentNullException.ThrowIfNull(cachedRequestIds);
        ArgumentNullException.ThrowIfNull(cachedComputedTokens);
        ArgumentNullException.ThrowIfNull(scheduledTokens);
        if (cachedRequestIds.Count != cachedComputedTokens.Count)
        {
            throw new InvalidValueException(
                $"scheduled_cached_reqs has {cachedRequestIds.Count} req_ids but {cachedComputedTokens.Count} num_computed_tokens; they must match.");
        }

        var newTokens = new long[newRequests.Count];
        var newComputed = new long[newRequests.Count];
        for (var i = 0; i < newRequests.Count; i++)
        {
            newTokens[i] = Tokens(scheduledTokens, newRequests[i].RequestId);
            newComputed[i] = NonNegative(newRequests[i].ComputedTokens, newRequests[i].RequestId);
        }

        var cachedTokens = new long[cachedRequestIds.Count];
        var cachedComputed = new long[cachedRequestIds.Count];
        for (var i = 0; i < cachedRequestIds.Count; i++)
        {
            cachedTokens[i] = Tokens(scheduledTokens, cachedRequestIds[i]);
            cachedComputed[i] = NonNegative(cachedComputedTokens[i], cachedRequestIds[i]);
        }

        return new SchedulerStep(newTokens, newComputed, cachedTokens, cachedComputed);
    }

    /// <summary>
    /// Builds a step from counts directly: new requests as (scheduled, computed) and cached requests as
    /// (scheduled, computed), in tokens.
    /// </summary>
    /// <exception cref="ArgumentException">A count is negative.</exception>
    public static SchedulerStep FromCounts(
        ImmutableArray<(long Scheduled, long Computed)> newRequests,
        ImmutableArray<(long Scheduled, long Computed)> cachedRequests)
    {
        long[] Column(ImmutableArray<(long Scheduled, long Computed)> rows, bool scheduled) =>
            [.. rows.Select((r, i) => NonNegative(scheduled ? r.Scheduled : r.Computed, $"#{i}"))];

        return new SchedulerStep(
            Column(newRequests, true), Column(newRequests, false), Column(cachedRequests, true), Column(cachedRequests, false));
    }

    /// <summary>The batch this step runs, aggregated as vLLM does (zero-token requests skipped), without its
    /// per-request record (cheapest; enough for revision 2025-12).</summary>
    /// <exception cref="OverflowException">A token or context sum does not fit in 64 bits.</exception>
    public Batch ToContext()
    {
        try
        {
            return Aggregate<long>();
        }
        catch (OverflowException)
        {
            // Implementation note: only the tokens × context sums can pass 2^63 in practice; redo them in 128 bits.
            return Aggregate<Int128>();
        }
    }

    /// <summary>The batch this step runs with every request recorded in vLLM's order (new requests, then cached
    /// ones), as revision 2026-09 needs for window-clamped contexts and its <c>requests</c> list.</summary>
    /// <exception cref="OverflowException">A token or context sum does not fit in 64 bits.</exception>
    public Batch ToBatchWithRequests()
    {
        var batch = Batch.Empty;
        for (var i = 0; i < _newTokens.Length; i++)
        {
            if (_newTokens[i] != 0)
            {
                batch = batch.Add(_newTokens[i], checked(_newComputed[i] + _newTokens[i]), isPrefill: true);
            }
        }

        for (var i = 0; i < _cachedTokens.Length; i++)
        {
            if (_cachedTokens[i] != 0)
            {
                batch = batch.Add(_cachedTokens[i], checked(_cachedComputed[i] + _cachedTokens[i]), isPrefill: _cachedTokens[i] > 1);
            }
        }

        return batch;
    }

    private Batch Aggregate<T>()
        where T : IBinaryInteger<T>
    {
        long prefillRequests = 0, prefillTokens = 0, prefillContext = 0, decodeRequests = 0, decodeTokens = 0, decodeContext = 0;
        var prefillProduct = T.Zero;
        checked
        {
            for (var i = 0; i < _newTokens.Length; i++)
            {
                var tokens = _newTokens[i];
                if (tokens != 0)
                {
                    var context = _newComputed[i] + tokens;
                    prefillRequests++;
                    prefillTokens += tokens;
                    prefillContext += context;
                    prefillProduct += T.CreateTruncating(tokens) * T.CreateTruncating(context);
                }
            }

            for (var i = 0; i < _cachedTokens.Length; i++)
            {
                var tokens = _cachedTokens[i];
                if (tokens == 0)
                {
                    continue;
                }

                var context = _cachedComputed[i] + tokens;
                if (tokens > 1)
                {
                    prefillRequests++;
                    prefillTokens += tokens;
                    prefillContext += context;
                    prefillProduct += T.CreateTruncating(tokens) * T.CreateTruncating(context);
                }
                else
                {
                    decodeRequests++;
                    decodeTokens++;
                    decodeContext += context;
                }
            }
        }

        return new Batch
        {
            PrefillRequests = prefillRequests,
            PrefillTokens = prefillTokens,
            PrefillContextLength = prefillContext,
            PrefillTokenContextProduct = Int128.CreateTruncating(prefillProduct),
            DecodeRequests = decodeRequests,
            DecodeTokens = decodeTokens,
            DecodeContextLength = decodeContext,

            // A decode request schedules one token, so its tokens × context is its context.
            DecodeTokenContextProduct = decodeContext,
        };
    }

    private static long Tokens(IReadOnlyDictionary<string, long> scheduled, string id) =>
        scheduled.TryGetValue(id, out var tokens) ? NonNegative(tokens, id) : 0;

    private static long NonNegative(long value, string id) => value >= 0
        ? value
        : throw new InvalidValueException($"request '{id}' has a negative token count ({value}).");
}

namespace PerfNotebooks.Serving;

/// <summary>The limits one replica's engine ran under, after vLLM's defaults were applied.</summary>
/// <param name="MaxNumBatchedTokens">Tokens one step may schedule.</param>
/// <param name="MaxNumSeqs">Requests running at once.</param>
/// <param name="BlockSize">Tokens per KV-cache block.</param>
/// <param name="KvBlocks">KV-cache blocks of the replica (each GPU holds its share of every block).</param>
/// <param name="MaxCudaGraphCaptureSize">Largest decode batch replayed as a CUDA graph (0: eager).</param>
public readonly record struct EngineLimits(long MaxNumBatchedTokens, long MaxNumSeqs, int BlockSize, long KvBlocks, long MaxCudaGraphCaptureSize)
{
    /// <summary>Tokens the KV cache holds: blocks × block size.</summary>
    public long KvTokens => checked(KvBlocks * BlockSize);
}

namespace PerfNotebooks.Serving;

/// <summary>
/// What the OpenAI-compatible API server adds between the client's clock and the engine: receiving and validating a
/// request, tokenizing its prompt and handing it to the engine core, then detokenizing and streaming each output
/// chunk back. In vLLM V1 the API server is its own process, so these delay a request without slowing the GPU steps;
/// it takes new requests one at a time (vLLM's <c>OpenAIServing</c> tokenizes on a <c>ThreadPoolExecutor(max_workers=1)</c>,
/// vllm-project/vllm#25301), so requests sent together reach the engine spread out.
/// </summary>
/// <remarks>
/// <see cref="Vllm"/>'s figures: request 2 ms — FastAPI and pydantic handling, the chat template and the ZMQ hand-off
/// to the engine core; bare vLLM's TTFT at concurrency 1 is 16.9 ms (median) for Qwen2.5-0.5B with the first step
/// included (ray-project/ray#59681), which bounds the fixed path from above. Tokenization 1.3 µs per prompt token —
/// Hugging Face tokenizers "take less than 20 seconds to tokenize a GB of text on a server's CPU" (huggingface/
/// tokenizers README), about 12 M tokens/s over ~16 threads, 0.8 M tokens/s on the one thread vLLM gives it. Output
/// 0.3 ms per streamed chunk — the engine core's output queue, the incremental detokenizer and the server-sent event.
/// These are estimates from the cited sources, not measurements of this server.
/// </remarks>
/// <param name="RequestSeconds">Per request on arrival: HTTP handling, validation and the hand-off to the engine core, seconds.</param>
/// <param name="TokenizeSecondsPerToken">Per prompt token, tokenization, seconds.</param>
/// <param name="OutputSeconds">Per streamed chunk: engine-core output hand-off, detokenization and the server-sent
/// event to the client, seconds (added to every token's arrival at the client).</param>
public sealed record ApiServerCosts(double RequestSeconds, double TokenizeSecondsPerToken, double OutputSeconds)
{
    /// <summary>No API server: the client's clock is the engine's.</summary>
    public static ApiServerCosts None { get; } = new(0, 0, 0);

    /// <summary>vLLM's OpenAI server (sources beside each figure in <see cref="ApiServerCosts"/>'s remarks).</summary>
    public static ApiServerCosts Vllm { get; } = new(2e-3, 1.3e-6, 0.3e-3);

    /// <summary>Seconds from the client sending a prompt of <paramref name="promptTokens"/> tokens to the engine holding it.</summary>
    public double IngressSeconds(long promptTokens) => RequestSeconds + (TokenizeSecondsPerToken * promptTokens);
}

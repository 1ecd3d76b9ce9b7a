namespace PerfNotebooks.Serving;

/// <summary>
/// What the OpenAI-compatible API server adds between the client's clock and the engine: receiving and validating a
/// request, tokenizing its prompt and handing it to the engine core, then detokenizing and streaming each output
/// chunk back. In vLLM V1 the API server is its own process, so these delay a request without slowing the GPU steps.
/// </summary>
/// <param name="RequestSeconds">Per request on arrival: HTTP handling, validation and the hand-off to the engine core, seconds.</param>
/// <param name="TokenizeSecondsPerToken">Per prompt token, tokenization, seconds.</param>
/// <param name="OutputSeconds">Per streamed chunk: engine-core output hand-off, detokenization and the server-sent
/// event to the client, seconds (added to every token's arrival at the client).</param>
public sealed record ApiServerCosts(double RequestSeconds, double TokenizeSecondsPerToken, double OutputSeconds)
{
    /// <summary>No API server: the client's clock is the engine's.</summary>
    public static ApiServerCosts None { get; } = new(0, 0, 0);

    /// <summary>vLLM's OpenAI server (sources beside each figure in <see cref="ApiServerCosts"/>'s remarks).</summary>
    public static ApiServerCosts Vllm { get; } = new(2e-3, 0.5e-6, 0.3e-3);

    /// <summary>Seconds from the client sending a prompt of <paramref name="promptTokens"/> tokens to the engine holding it.</summary>
    public double IngressSeconds(long promptTokens) => RequestSeconds + (TokenizeSecondsPerToken * promptTokens);
}

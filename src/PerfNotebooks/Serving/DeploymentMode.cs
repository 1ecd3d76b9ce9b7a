namespace PerfNotebooks.Serving;

/// <summary>How a deployment splits the work of a request.</summary>
public enum DeploymentMode
{
    /// <summary>Every replica prefills and decodes (vLLM's default).</summary>
    Aggregated,

    /// <summary>Prefill and decode run in separate pools; the KV cache crosses the interconnect between them (vLLM's disaggregated prefill with a KV connector).</summary>
    Disaggregated,
}

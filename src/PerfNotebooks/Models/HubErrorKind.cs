namespace PerfNotebooks.Models;

/// <summary>The hub failures a caller can act on.</summary>
public enum HubErrorKind
{
    /// <summary>401/403: the model is gated or private; a token with access is needed.</summary>
    Gated,

    /// <summary>404: no such model, revision or file.</summary>
    NotFound,

    /// <summary>5xx: the server failed.</summary>
    Server,

    /// <summary>No answer within the timeout.</summary>
    Timeout,

    /// <summary>The connection failed or the body was cut short.</summary>
    Network,

    /// <summary>Offline mode (<c>HF_HUB_OFFLINE</c>) and the config is not in the cache.</summary>
    Offline,
}

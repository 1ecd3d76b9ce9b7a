namespace PerfNotebooks.Models;

/// <summary>Where the hub and the local cache are, how to authenticate and how long to wait.</summary>
public sealed record HubOptions
{
    /// <summary>The hub's base address (<c>HF_ENDPOINT</c>, default <c>https://huggingface.co</c>).</summary>
    public Uri Endpoint { get; init; } = new("https://huggingface.co");

    /// <summary>Access token for gated models (<c>HF_TOKEN</c>); sent as a bearer token, never logged.</summary>
    public string? Token { get; init; }

    /// <summary>The hub cache folder (<c>HF_HUB_CACHE</c>, else <c>HF_HOME/hub</c>, else <c>~/.cache/huggingface/hub</c>).</summary>
    public string CacheDirectory { get; init; } = DefaultCache(Environment.GetEnvironmentVariable);

    /// <summary>Longest wait for one request.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Never use the network (<c>HF_HUB_OFFLINE=1</c>).</summary>
    public bool Offline { get; init; }

    /// <summary>Options from the environment, as the <c>huggingface_hub</c> library reads it.</summary>
    public static HubOptions FromEnvironment(Func<string, string?>? variables = null)
    {
        variables ??= Environment.GetEnvironmentVariable;
        var endpoint = variables("HF_ENDPOINT");
        return new HubOptions
        {
            Endpoint = string.IsNullOrEmpty(endpoint) ? new Uri("https://huggingface.co") : new Uri(endpoint.TrimEnd('/')),
            Token = variables("HF_TOKEN") is { Length: > 0 } token ? token : null,
            CacheDirectory = DefaultCache(variables),
            Offline = variables("HF_HUB_OFFLINE") is "1" or "true" or "TRUE" or "yes",
        };
    }

    private static string DefaultCache(Func<string, string?> variables)
    {
        if (variables("HF_HUB_CACHE") is { Length: > 0 } hubCache)
        {
            return hubCache;
        }

        if (variables("HF_HOME") is { Length: > 0 } home)
        {
            return Path.Combine(home, "hub");
        }

        var xdg = variables("XDG_CACHE_HOME");
        var cacheRoot = string.IsNullOrEmpty(xdg)
            ? Path.Combine(variables("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
            : xdg;
        return Path.Combine(cacheRoot, "huggingface", "hub");
    }
}

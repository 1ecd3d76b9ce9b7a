using System.Net;
using System.Threading;

namespace PerfNotebooks.Models;

/// <summary>
/// Fetches a model's <c>config.json</c>: from the local Hugging Face cache (offline,
/// <c>models--org--name/snapshots/&lt;commit&gt;/config.json</c> through <c>refs/&lt;revision&gt;</c>), else from the hub
/// over HTTP (<c>{endpoint}/{repo}/resolve/{revision}/config.json</c>), writing the file into the cache atomically.
/// </summary>
public sealed class HubClient : IDisposable
{
    private readonly HttpClient _http;

    /// <summary>Creates a client; <paramref name="handler"/> replaces the network stack (tests).</summary>
    public HubClient(HubOptions? options = null, HttpMessageHandler? handler = null)
    {
        Options = options ?? HubOptions.FromEnvironment();
        _http = new HttpClient(handler ?? new SocketsHttpHandler(), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The options in use.</summary>
    public HubOptions Options { get; }

    /// <summary>Whether <paramref name="text"/> looks like a hub repository id (<c>org/name</c>).</summary>
    public static bool IsRepoId(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        return parts.Length == 2 && parts.All(p => p.Length > 0 && p.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'));
    }

    /// <summary>The cache folder of a repository: <c>models--org--name</c>.</summary>
    public string RepoFolder(string repoId)
    {
        ArgumentNullException.ThrowIfNull(repoId);
        return Path.Combine(Options.CacheDirectory, "models--" + repoId.Replace("/", "--", StringComparison.Ordinal));
    }

    /// <summary>The cached <c>config.json</c> of a revision (a branch or tag through <c>refs/</c>, or a commit hash), or null.</summary>
    public string? CachedConfigPath(string repoId, string revision = "main")
    {
        ArgumentNullException.ThrowIfNull(revision);
        var folder = RepoFolder(repoId);
        var commit = revision;
        var reference = Path.Combine(folder, "refs", revision);
        if (File.Exists(reference))
        {
            commit = File.ReadAllText(reference).Trim();
        }

        var path = Path.Combine(folder, "snapshots", commit, "config.json");
        return File.Exists(path) ? path : null;
    }

    /// <summary>Loads a config from the cache, else downloads it (unless offline).</summary>
    /// <exception cref="HubException">Not cached and the hub refused, failed or timed out.</exception>
    public HfConfig Load(string repoId, string revision = "main", CancellationToken cancellation = default)
    {
        if (CachedConfigPath(repoId, revision) is { } cached)
        {
            return HfConfig.Load(cached);
        }

        if (Options.Offline)
        {
            throw new HubException(HubErrorKind.Offline,
                $"{repoId}@{revision}: config.json is not in the cache at {RepoFolder(repoId)} and HF_HUB_OFFLINE is set");
        }

        return HfConfig.Load(DownloadAsync(repoId, revision, cancellation).GetAwaiter().GetResult());
    }

    /// <summary>Downloads <c>config.json</c> into the cache and returns its path. The file appears whole or not at all.</summary>
    /// <exception cref="HubException">The hub refused, failed or timed out, or the body was cut short.</exception>
    public async Task<string> DownloadAsync(string repoId, string revision = "main", CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(repoId);
        ArgumentNullException.ThrowIfNull(revision);
        var url = new Uri($"{Options.Endpoint.ToString().TrimEnd('/')}/{repoId}/resolve/{Uri.EscapeDataString(revision)}/config.json");
        var what = $"{repoId}@{revision} config.json from {Options.Endpoint.GetLeftPart(UriPartial.Authority)}";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(Options.Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (Options.Token is { } token)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        byte[] body;
        string commit;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            ThrowOnStatus(response.StatusCode, what);
            body = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            if (response.Content.Headers.ContentLength is { } length && length != body.Length)
            {
                throw new HubException(HubErrorKind.Network, $"{what}: the body was cut short ({body.Length} of {length} bytes); nothing was cached");
            }

            commit = response.Headers.TryGetValues("X-Repo-Commit", out var values) ? values.First() : revision;
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            throw new HubException(HubErrorKind.Timeout, $"{what}: no answer within {Options.Timeout.TotalSeconds:0.#} s; nothing was cached");
        }
        catch (HttpRequestException e)
        {
            throw new HubException(HubErrorKind.Network, $"{what}: {Describe(e)}; nothing was cached", e);
        }
        catch (IOException e)
        {
            throw new HubException(HubErrorKind.Network, $"{what}: the connection broke ({e.Message}); nothing was cached", e);
        }

        if (!IsSafeName(commit))
        {
            commit = revision;
        }

        var snapshot = Path.Combine(RepoFolder(repoId), "snapshots", commit);
        Directory.CreateDirectory(snapshot);
        var path = Path.Combine(snapshot, "config.json");
        WriteAtomically(path, body);
        if (commit != revision)
        {
            var refs = Path.Combine(RepoFolder(repoId), "refs");
            Directory.CreateDirectory(refs);
            WriteAtomically(Path.Combine(refs, revision), System.Text.Encoding.UTF8.GetBytes(commit));
        }

        return path;
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private static void ThrowOnStatus(HttpStatusCode status, string what)
    {
        var code = (int)status;
        if (code is >= 200 and < 300)
        {
            return;
        }

        throw code switch
        {
            401 or 403 => new HubException(HubErrorKind.Gated,
                $"{what}: access denied (HTTP {code}); the model is gated or private: accept its license on the hub and set HF_TOKEN to a token with access"),
            404 => new HubException(HubErrorKind.NotFound, $"{what}: not found (HTTP 404); check the model id and revision"),
            >= 500 => new HubException(HubErrorKind.Server, $"{what}: the hub failed (HTTP {code}); try again later"),
            _ => new HubException(HubErrorKind.Network, $"{what}: unexpected HTTP {code}"),
        };
    }

    private static string Describe(HttpRequestException e) =>
        e.InnerException is IOException io ? $"the connection broke ({io.Message})" : e.Message;

    private static bool IsSafeName(string name) =>
        name.Length is > 0 and < 100 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && name != "." && name != "..";

    // Implementation note: a temporary file in the same folder, then a rename, so a reader never sees half a file and
    // a failure leaves nothing behind.
    private static void WriteAtomically(string path, byte[] bytes)
    {
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}

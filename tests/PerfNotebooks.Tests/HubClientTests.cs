using PerfNotebooks.Models;

namespace PerfNotebooks.Tests;

public sealed class HubClientTests : IDisposable
{
    private const string Token = "hf_SECRETtoken1234567890";
    private readonly LoopbackHubServer _server = new();
    private readonly string _cache = Path.Combine(Path.GetTempPath(), "perfnb-hub-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        _server.Dispose();
        if (Directory.Exists(_cache))
        {
            Directory.Delete(_cache, recursive: true);
        }
    }

    private HubClient Client(TimeSpan? timeout = null) => new(new HubOptions
    {
        Endpoint = _server.Endpoint,
        Token = Token,
        CacheDirectory = _cache,
        Timeout = timeout ?? TimeSpan.FromSeconds(5),
    });

    [Fact]
    public void Downloads_into_the_cache_layout_then_loads_offline()
    {
        using var client = Client();

        var config = client.Load("org/ok-model");

        Assert.Equal(8, config.TextNumber("hidden_size").Value);
        var snapshot = Path.Combine(_cache, "models--org--ok-model", "snapshots", "0123456789abcdef0123456789abcdef01234567", "config.json");
        Assert.Equal(LoopbackHubServer.Config, File.ReadAllText(snapshot));
        Assert.Equal("0123456789abcdef0123456789abcdef01234567", File.ReadAllText(Path.Combine(_cache, "models--org--ok-model", "refs", "main")));
        Assert.Equal($"Bearer {Token}", Assert.Single(_server.AuthorizationHeaders));

        using var offline = new HubClient(new HubOptions { Endpoint = new Uri("http://127.0.0.1:9"), CacheDirectory = _cache, Offline = true });
        Assert.Equal(8, offline.Load("org/ok-model").TextNumber("hidden_size").Value);
        Assert.Equal(1, _server.Requests);
    }

    [Theory]
    [InlineData("org/gated", HubErrorKind.Gated, "access denied (HTTP 401); the model is gated or private")]
    [InlineData("org/forbidden", HubErrorKind.Gated, "access denied (HTTP 403)")]
    [InlineData("org/no-such-model", HubErrorKind.NotFound, "not found (HTTP 404); check the model id and revision")]
    [InlineData("org/broken", HubErrorKind.Server, "the hub failed (HTTP 500)")]
    [InlineData("org/truncated", HubErrorKind.Network, "nothing was cached")]
    public void Failures_give_one_clear_error_without_the_token(string repo, HubErrorKind kind, string message)
    {
        using var client = Client();

        var error = Assert.Throws<HubException>(() => client.Load(repo));

        Assert.Equal(kind, error.Kind);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"{repo}@main config.json from {_server.Endpoint.GetLeftPart(UriPartial.Authority)}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_cache, "models--" + repo.Replace("/", "--", StringComparison.Ordinal), "snapshots")) &&
                     Directory.EnumerateFiles(Path.Combine(_cache, "models--" + repo.Replace("/", "--", StringComparison.Ordinal)), "*", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public void A_stalled_server_times_out_and_leaves_no_file()
    {
        using var client = Client(TimeSpan.FromMilliseconds(300));

        var error = Assert.Throws<HubException>(() => client.Load("org/stall"));

        Assert.Equal(HubErrorKind.Timeout, error.Kind);
        Assert.Contains("no answer within 0.3 s; nothing was cached", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_cache, "models--org--stall")));
    }

    [Fact]
    public void Offline_without_a_cached_copy_says_so()
    {
        using var client = new HubClient(new HubOptions { CacheDirectory = _cache, Offline = true });

        var error = Assert.Throws<HubException>(() => client.Load("org/ok-model"));

        Assert.Equal(HubErrorKind.Offline, error.Kind);
        Assert.Equal(0, _server.Requests);
    }

    [Fact]
    public void Environment_sets_endpoint_token_and_cache_like_huggingface_hub()
    {
        var env = new Dictionary<string, string?> { ["HF_ENDPOINT"] = "http://127.0.0.1:1234/", ["HF_TOKEN"] = Token, ["HF_HOME"] = "/data/hf", ["HF_HUB_OFFLINE"] = "1" };

        var options = HubOptions.FromEnvironment(name => env.GetValueOrDefault(name));

        Assert.Equal("http://127.0.0.1:1234/", options.Endpoint.ToString());
        Assert.Equal(Token, options.Token);
        Assert.Equal("/data/hf/hub", options.CacheDirectory);
        Assert.True(options.Offline);
        Assert.Equal("/c/hub", HubOptions.FromEnvironment(n => n == "HF_HUB_CACHE" ? "/c/hub" : n == "HF_HOME" ? "/data/hf" : null).CacheDirectory);
        Assert.Equal("/home/u/.cache/huggingface/hub", HubOptions.FromEnvironment(n => n == "HOME" ? "/home/u" : null).CacheDirectory);
    }

    [Fact]
    public void Catalog_load_falls_back_to_the_hub_for_org_name_ids_with_a_revision()
    {
        using var client = Client();

        var config = ModelCatalog.Load("org/ok-model@v1", client);

        Assert.Equal(2, config.TextNumber("num_hidden_layers").Value);
        Assert.True(File.Exists(Path.Combine(_cache, "models--org--ok-model", "refs", "v1")));
        Assert.Equal(4096, ModelCatalog.Load("meta-llama/llama-3.1-8b", client).TextNumber("hidden_size").Value);
        Assert.Equal(1, _server.Requests);  // the catalog id did not touch the hub
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;

namespace PerfNotebooks.Tests;

/// A tiny HTTP/1.1 server on 127.0.0.1 that answers by repository name: ok (200 with X-Repo-Commit), gated (401),
/// forbidden (403), missing (404), broken (500), stall (never answers), truncated (announces 1000 bytes, sends 20).
/// It records the Authorization headers it receives. Bounded: it stops when disposed.
public sealed class LoopbackHubServer : IDisposable
{
    public const string Config = """{"num_hidden_layers": 2, "hidden_size": 8, "num_attention_heads": 2, "intermediate_size": 16, "vocab_size": 10}""";

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];

    public LoopbackHubServer()
    {
        _listener.Start();
        _ = Task.Run(AcceptLoop);
    }

    public Uri Endpoint => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    public List<string> AuthorizationHeaders { get; } = [];

    public int Requests { get; private set; }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            lock (_connections)
            {
                _connections.Add(Task.Run(() => Serve(client)));
            }
        }
    }

    private async Task Serve(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var reader = new StreamReader(stream, Encoding.ASCII);
        var requestLine = await reader.ReadLineAsync() ?? string.Empty;
        string? line;
        while (!string.IsNullOrEmpty(line = await reader.ReadLineAsync()))
        {
            if (line.StartsWith("Authorization:", StringComparison.OrdinalIgnoreCase))
            {
                lock (AuthorizationHeaders)
                {
                    AuthorizationHeaders.Add(line["Authorization:".Length..].Trim());
                }
            }
        }

        Requests++;
        var path = requestLine.Split(' ').ElementAtOrDefault(1) ?? "/";
        var repo = path.Split('/').ElementAtOrDefault(2) ?? string.Empty;
        async Task Send(string status, string body, string extra = "", int? length = null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            var head = $"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {length ?? bytes.Length}\r\nConnection: close\r\n{extra}\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(bytes);
            await stream.FlushAsync();
        }

        switch (repo)
        {
            case "ok-model":
                await Send("200 OK", Config, "X-Repo-Commit: 0123456789abcdef0123456789abcdef01234567\r\n");
                break;
            case "gated":
                await Send("401 Unauthorized", """{"error":"Access to model org/gated is restricted."}""");
                break;
            case "forbidden":
                await Send("403 Forbidden", """{"error":"forbidden"}""");
                break;
            case "broken":
                await Send("500 Internal Server Error", """{"error":"oops"}""");
                break;
            case "stall":
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(30), _stop.Token);
                }
                catch (OperationCanceledException)
                {
                }

                break;
            case "truncated":
                await Send("200 OK", Config[..20], "X-Repo-Commit: feedface\r\n", length: 1000);
                break;
            default:
                await Send("404 Not Found", """{"error":"Repository not found"}""");
                break;
        }
    }
}

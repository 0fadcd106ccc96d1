using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Events.Tests.Infrastructure;

namespace Events.Tests.Webhooks;

/// <summary>
/// A local HTTP API (HttpListener on a free port) standing in for WebEngage: records every request and answers 200,
/// or what a test asked for requests whose body holds a marker (an error status a number of times, or a slow answer).
/// </summary>
public sealed class ApiReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly Dictionary<string, (int Status, int Times)> _failures = [];
    private readonly ConcurrentDictionary<string, TimeSpan> _delays = new();
    private readonly Task _loop;

    public ApiReceiver()
    {
        var port = LocalServices.FreeTcpPort();
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        Url = $"http://127.0.0.1:{port}/v1/accounts/test/bulk-events";
        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; }

    public IReadOnlyList<ReceivedRequest> Requests => _requests.ToArray();

    /// <summary>Requests whose body contains <paramref name="marker"/>.</summary>
    public IReadOnlyList<ReceivedRequest> RequestsWith(string marker) => Requests.Where(r => r.Body.Contains(marker, StringComparison.Ordinal)).ToList();

    /// <summary>Answers <paramref name="status"/> to the next <paramref name="times"/> requests holding <paramref name="marker"/>.</summary>
    public void FailWhenContains(string marker, int status, int times = int.MaxValue)
    {
        lock (_failures)
        {
            _failures[marker] = (status, times);
        }
    }

    /// <summary>Answers requests holding <paramref name="marker"/> only after <paramref name="delay"/>.</summary>
    public void DelayWhenContains(string marker, TimeSpan delay) => _delays[marker] = delay;

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var status = 200;
            foreach (var (marker, delay) in _delays)
            {
                if (body.Contains(marker, StringComparison.Ordinal)) await Task.Delay(delay);
            }
            lock (_failures)
            {
                foreach (var (marker, failure) in _failures.Where(f => body.Contains(f.Key, StringComparison.Ordinal) && f.Value.Times > 0).ToList())
                {
                    _failures[marker] = failure with { Times = failure.Times == int.MaxValue ? int.MaxValue : failure.Times - 1 };
                    status = failure.Status;
                }
            }
            _requests.Enqueue(new ReceivedRequest(context.Request.Url!.AbsolutePath, context.Request.Headers["Authorization"],
                context.Request.ContentType, body, status));
            context.Response.StatusCode = status;
            var answer = Encoding.UTF8.GetBytes(status == 200 ? "{\"response\":{\"status\":\"queued\"}}" : $"{{\"error\":\"status {status}\"}}");
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(answer);
            context.Response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client gave up (a timeout test): nothing to answer.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}

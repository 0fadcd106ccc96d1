using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Events.Bench.Measure;

/// <summary>
/// The cluster's stream queues as the RabbitMQ management API sees them: messages published so far (to count
/// events per message), messages waiting or unacknowledged (the backlog), and their bytes (the message size).
/// The broker refreshes these figures every few seconds; null when the management API is not reachable.
/// </summary>
internal sealed class RabbitMqQueueStats : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _prefix;

    public RabbitMqQueueStats(Uri management, Uri amqp, string queuePrefix)
    {
        _prefix = queuePrefix;
        var user = Uri.UnescapeDataString(amqp.UserInfo is { Length: > 0 } info ? info : "guest:guest");
        _http = new HttpClient { BaseAddress = management, Timeout = TimeSpan.FromSeconds(5) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user)));
    }

    public string? LastError { get; private set; }

    public async Task<QueueTotals?> SnapshotAsync()
    {
        try
        {
            using var response = await _http.GetAsync("api/queues/%2F?columns=name,messages,message_bytes,message_stats.publish");
            response.EnsureSuccessStatusCode();
            using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
            var totals = Totals(json.RootElement, _prefix);
            LastError = null;
            return totals;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException)
        {
            LastError = ex.Message;
            return null;
        }
    }

    /// <summary>Sums the stream queues (<c>&lt;prefix&gt;-&lt;n&gt;</c>) of a <c>GET /api/queues/%2F</c> answer.</summary>
    internal static QueueTotals Totals(JsonElement queueList, string prefix)
    {
        long published = 0, messages = 0, bytes = 0;
        var queues = 0;
        foreach (var queue in queueList.EnumerateArray())
        {
            var name = queue.GetProperty("name").GetString() ?? "";
            // The stream queues are <prefix>-<n>; the dead-letter queue is not part of the flow.
            if (!name.StartsWith(prefix + "-", StringComparison.Ordinal) || !name[(prefix.Length + 1)..].All(char.IsAsciiDigit)) continue;
            queues++;
            messages += Long(queue, "messages");
            bytes += Long(queue, "message_bytes");
            if (queue.TryGetProperty("message_stats", out var stats)) published += Long(stats, "publish");
        }
        return new QueueTotals(queues, published, messages, bytes);
    }

    // The broker writes an empty object as [] (e.g. message_stats of a queue nothing was published to yet).
    private static long Long(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.GetInt64()
            : 0;

    public void Dispose() => _http.Dispose();
}

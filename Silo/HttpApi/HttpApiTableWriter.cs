using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Events.Grains.Sinks;
using Events.Grains.Tables;
using Microsoft.Extensions.Options;

namespace Events.Silo.HttpApi;

/// <summary>
/// Forwards an HTTP API pseudo-table's rows (their <c>payload</c> column, a JSON object) to the table's endpoint as
/// <c>{"events":[...]}</c> with <c>Authorization: Bearer</c>, at most <see cref="HttpApiTarget.MaxEventsPerRequest"/>
/// per request. Failures of the moment are retried with backoff up to <see cref="HttpApiOptions.MaxAttempts"/>, then
/// the rows are refused (<see cref="RowsRejectedException"/>) so the sink dead-letters them; a 4xx refuses them at once.
/// </summary>
internal sealed class HttpApiTableWriter(IOptions<HttpApiOptions> options, ILogger<HttpApiTableWriter> logger) : ITableWriter, IDisposable
{
    public const string PayloadColumn = "payload";
    private const int MaxConcurrentRequests = 4;

    private readonly HttpApiOptions _options = options.Value;
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectTimeout = options.Value.RequestTimeout,
    })
    { Timeout = Timeout.InfiniteTimeSpan };

    // When some rows are refused, the sink writes the rows again in halves to find them. Rows already delivered are
    // not sent twice, and rows given up on after the retry limit fail at once: retrying them again in every half
    // would multiply the wait by the number of splits. Keyed by the row arrays, which the sink passes again unchanged.
    private readonly ConditionalWeakTable<object[], string> _delivered = new();
    private readonly ConditionalWeakTable<object[], string> _gaveUp = new();

    public async Task WriteAsync(TableSchema table, IReadOnlyList<object[]> rows, CancellationToken cancellationToken)
    {
        if (!_options.Targets.TryGetValue(table.Name, out var target) || target.Url.Length == 0)
        {
            throw new RowsRejectedException($"no endpoint is configured for {table.Name} ({HttpApiOptions.Section}:Targets:{table.Name}:Url)");
        }
        var pending = rows.Where(row => !_delivered.TryGetValue(row, out _)).ToList();
        if (pending.Count > 0 && pending.All(row => _gaveUp.TryGetValue(row, out _)))
        {
            _gaveUp.TryGetValue(pending[0], out var reason);
            throw new RowsRejectedException(reason!);
        }
        var payload = PayloadIndex(table);
        string? refused = null;
        string? gaveUp = null;
        await Parallel.ForEachAsync(pending.Chunk(target.MaxEventsPerRequest),
            new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentRequests, CancellationToken = cancellationToken },
            async (chunk, ct) =>
            {
                // Once the API is given up on, the requests not yet sent fail too rather than wait out their own retries.
                var outcome = Volatile.Read(ref gaveUp) is { } reason ? new Outcome(OutcomeKind.Transient, reason) : await SendAsync(table, target, chunk, payload, ct);
                switch (outcome.Kind)
                {
                    case OutcomeKind.Delivered:
                        foreach (var row in chunk) _delivered.AddOrUpdate(row, "");
                        break;
                    case OutcomeKind.Refused:
                        Interlocked.CompareExchange(ref refused, outcome.Reason, null);
                        break;
                    default:
                        foreach (var row in chunk) _gaveUp.AddOrUpdate(row, outcome.Reason);
                        Interlocked.CompareExchange(ref gaveUp, outcome.Reason, null);
                        break;
                }
            });
        if ((gaveUp ?? refused) is { } problem)
        {
            throw new RowsRejectedException(problem);
        }
    }

    private async Task<Outcome> SendAsync(TableSchema table, HttpApiTarget target, object[][] rows, int payload, CancellationToken cancellationToken)
    {
        byte[] body;
        try
        {
            body = Body(rows, payload);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidCastException)
        {
            return Refuse(table, rows.Length, $"a {PayloadColumn} is not a JSON object: {ex.Message}");
        }
        for (var attempt = 1; ; attempt++)
        {
            var (outcome, retryAfter) = await AttemptAsync(target, body, cancellationToken);
            if (outcome.Kind != OutcomeKind.Transient)
            {
                return outcome.Kind == OutcomeKind.Refused ? Refuse(table, rows.Length, outcome.Reason) : outcome;
            }
            if (attempt >= _options.MaxAttempts)
            {
                var reason = $"{table.Name}: gave up after {attempt} attempts, the last: {outcome.Reason}";
                HttpApiLog.GaveUp(logger, rows.Length, table.Name, reason);
                return outcome with { Reason = reason };
            }
            var backoff = _options.RetryDelay * Math.Pow(2, attempt - 1) * (0.8 + Random.Shared.NextDouble() * 0.4);
            var delay = retryAfter is { } asked && asked > backoff ? TimeSpan.FromTicks(Math.Min(asked.Ticks, (backoff * 4).Ticks)) : backoff;
            HttpApiLog.Retrying(logger, rows.Length, table.Name, attempt, _options.MaxAttempts, outcome.Reason, delay.TotalMilliseconds);
            await Task.Delay(delay, cancellationToken);
        }
    }

    private async Task<(Outcome, TimeSpan?)> AttemptAsync(HttpApiTarget target, byte[] body, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", target.ApiKey);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (response.IsSuccessStatusCode)
            {
                return (new Outcome(OutcomeKind.Delivered, ""), null);
            }
            var status = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
            var transient = (int)response.StatusCode >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
            if (transient)
            {
                return (new Outcome(OutcomeKind.Transient, status), response.Headers.RetryAfter?.Delta);
            }
            return (new Outcome(OutcomeKind.Refused, $"{status}: {await ShortBodyAsync(response, timeout.Token)}"), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (new Outcome(OutcomeKind.Transient, $"no answer within {_options.RequestTimeout.TotalMilliseconds:0} ms"), null);
        }
        catch (HttpRequestException ex)
        {
            return (new Outcome(OutcomeKind.Transient, ex.HttpRequestError.ToString() + ": " + ex.Message), null);
        }
    }

    private Outcome Refuse(TableSchema table, int count, string reason)
    {
        var full = $"{table.Name}: the API refused the events: {reason}";
        HttpApiLog.Refused(logger, count, table.Name, full);
        return new Outcome(OutcomeKind.Refused, full);
    }

    private static byte[] Body(object[][] rows, int payload)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("events");
            foreach (var row in rows)
            {
                writer.WriteRawValue((string)row[payload]);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static async Task<string> ShortBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            text = text.ReplaceLineEndings(" ").Trim();
            return text.Length <= 300 ? text : text[..300] + "...";
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return "(no body)";
        }
    }

    private static int PayloadIndex(TableSchema table)
    {
        for (var i = 0; i < table.Columns.Count; i++)
        {
            if (table.Columns[i].Name == PayloadColumn) return i;
        }
        throw new InvalidOperationException($"HTTP API table {table.Name} has no '{PayloadColumn}' column.");
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Transient: worth retrying (5xx, 408, 429, timeout, no connection); after the last attempt, given up.</summary>
    private enum OutcomeKind { Delivered, Refused, Transient }

    private sealed record Outcome(OutcomeKind Kind, string Reason);
}

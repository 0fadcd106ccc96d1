using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Events.Tests.Webhooks;

/// <summary>A webhook request as a provider would send it: body, headers and query.</summary>
public sealed record WebhookRequest(string Provider, string Body, IReadOnlyDictionary<string, string> Headers, string Query = "");

/// <summary>Posts webhooks to the Api's HTTP port like a provider: 503 means "not stored, retry later".</summary>
public sealed class WebhookSender(int httpPort) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/"), Timeout = TimeSpan.FromSeconds(30) };

    public async Task<HttpResponseMessage> SendAsync(WebhookRequest request, string contentType = "application/json", bool chunked = false)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, $"{request.Provider}/event{request.Query}");
        var bytes = Encoding.UTF8.GetBytes(request.Body);
        message.Content = chunked ? new StreamContent(new MemoryStream(bytes)) : new ByteArrayContent(bytes);
        message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (chunked)
        {
            message.Headers.TransferEncodingChunked = true;
        }
        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }
        return await _http.SendAsync(message);
    }

    /// <summary>Sends until the Api answers 200 (retrying 503 as providers do) and returns the answer's JSON.</summary>
    public async Task<JsonElement> DeliverAsync(WebhookRequest request)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var response = await SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable && attempt < 10)
            {
                Assert.NotNull(response.Headers.RetryAfter);
                await Task.Delay(500);
                continue;
            }
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{request.Provider} webhook answered {(int)response.StatusCode}: {body}");
            return JsonDocument.Parse(body).RootElement.Clone();
        }
    }

    public void Dispose() => _http.Dispose();
}

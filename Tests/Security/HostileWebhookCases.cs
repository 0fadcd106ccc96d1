using System.Net.Http.Headers;
using System.Text;
using Events.Api.Webhooks;

namespace Events.Tests.Security;

/// <summary>
/// Generates bad webhook requests: to Branch (a token) malformed JSON, wrong content type, bad tokens, oversize bodies;
/// to WebEngage (timestamped signatures) stale, forged and replayed signatures.
/// </summary>
internal sealed class HostileWebhookCases(HttpClient http, Random rng)
{
    private const string Route = "branch/event";
    private const string SignedRoute = "webengage/event";

    public HostileCase Next() => rng.Next(10) switch
    {
        0 => Send("truncated JSON", 400, TruncatedJson(), "application/json", SecurityFixture.BranchToken),
        1 => Send("random bytes as JSON", 400, [(byte)'{', .. RandomBytes(8 + rng.Next(500))], "application/json", SecurityFixture.BranchToken),
        2 => Send("invalid UTF-8 in JSON", 400, [.. "{\"name\":\""u8.ToArray(), 0xff, 0xfe, .. "\"}"u8.ToArray()], "application/json", SecurityFixture.BranchToken),
        3 => Send("wrong content type", 415, Encoding.UTF8.GetBytes(ValidJson()), rng.Next(2) == 0 ? "text/plain" : "application/x-www-form-urlencoded", SecurityFixture.BranchToken),
        4 => Send("missing token", 401, Encoding.UTF8.GetBytes(ValidJson()), "application/json", null),
        5 => Send("wrong token", 401, Encoding.UTF8.GetBytes(ValidJson()), "application/json", "wrong-" + Convert.ToHexString(RandomBytes(16))),
        6 => Send("body over the limit", 413, Encoding.UTF8.GetBytes(ValidJson(SecurityFixture.WebhookMaxBodyBytes + 1 + rng.Next(10_000))), "application/json",
            SecurityFixture.BranchToken, chunked: rng.Next(2) == 0),
        7 => Signed("stale or future signature", 401, SignedJson(), (rng.Next(2) == 0 ? -1 : 1) * (305 + rng.Next(100_000)), forge: false),
        8 => Signed("forged signature", 401, SignedJson(), 0, forge: true),
        _ => Replayed(SignedJson()),
    };

    private HostileCase Send(string name, int expected, byte[] body, string contentType, string? token, bool chunked = false) =>
        new(name, "webhook", [expected], () => PostAsync(Route, body, contentType, chunked,
            token is null ? [] : [(WebhookHandler.TokenHeader, token)]));

    /// <summary>A WebEngage request signed <paramref name="offsetSeconds"/> from now, or with random bytes as its signature.</summary>
    private HostileCase Signed(string name, int expected, byte[] body, int offsetSeconds, bool forge)
    {
        var header = forge
            ? $"t={DateTimeOffset.UtcNow.ToUnixTimeSeconds()},v1={Convert.ToHexStringLower(RandomBytes(32))}"
            : TimestampedSignatures.Sign(body, SecurityFixture.SigningSecret, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + offsetSeconds);
        return new(name, "webhook", [expected], () => PostAsync(SignedRoute, body, "application/json", false, [(TimestampedSignatures.Header, header)]));
    }

    /// <summary>A correctly signed WebEngage request (stored), then the same request again: the answer to the second.</summary>
    private HostileCase Replayed(byte[] body)
    {
        var header = TimestampedSignatures.Sign(body, SecurityFixture.SigningSecret, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        return new("replayed signature", "webhook", [409], async () =>
        {
            var first = await PostAsync(SignedRoute, body, "application/json", false, [(TimestampedSignatures.Header, header)]);
            return first.Status == 200 ? await PostAsync(SignedRoute, body, "application/json", false, [(TimestampedSignatures.Header, header)]) : first;
        });
    }

    private async Task<(int Status, string Message)> PostAsync(string route, byte[] body, string contentType, bool chunked, (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, route)
        {
            Content = chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private byte[] TruncatedJson()
    {
        var json = Encoding.UTF8.GetBytes(ValidJson());
        return json[..(1 + rng.Next(json.Length - 2))];
    }

    private string ValidJson(int padding = 0) =>
        $$$"""{"name":"PURCHASE","id":"{{{Guid.NewGuid():N}}}","timestamp":"{{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}","event_data":{"pad":"{{{new string('x', padding)}}}"}}""";

    private static byte[] SignedJson() => Encoding.UTF8.GetBytes(
        $$"""{"eventName":"Fuzzed","eventId":"{{Guid.NewGuid():N}}","eventTime":"{{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ}}","userId":"fuzz"}""");

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        rng.NextBytes(bytes);
        return bytes;
    }
}

using System.Net.Http.Headers;
using System.Text;

namespace Events.Tests.Security;

/// <summary>Generates bad Branch webhook requests: malformed JSON, wrong content type, bad tokens, oversize bodies.</summary>
internal sealed class HostileWebhookCases(HttpClient http, Random rng)
{
    private const string Route = "branch/event";

    public HostileCase Next() => rng.Next(7) switch
    {
        0 => Send("truncated JSON", 400, TruncatedJson(), "application/json", SecurityFixture.BranchToken),
        1 => Send("random bytes as JSON", 400, [(byte)'{', .. RandomBytes(8 + rng.Next(500))], "application/json", SecurityFixture.BranchToken),
        2 => Send("invalid UTF-8 in JSON", 400, [.. "{\"name\":\""u8.ToArray(), 0xff, 0xfe, .. "\"}"u8.ToArray()], "application/json", SecurityFixture.BranchToken),
        3 => Send("wrong content type", 415, Encoding.UTF8.GetBytes(ValidJson()), rng.Next(2) == 0 ? "text/plain" : "application/x-www-form-urlencoded", SecurityFixture.BranchToken),
        4 => Send("missing token", 401, Encoding.UTF8.GetBytes(ValidJson()), "application/json", null),
        5 => Send("wrong token", 401, Encoding.UTF8.GetBytes(ValidJson()), "application/json", "wrong-" + Convert.ToHexString(RandomBytes(16))),
        _ => Send("body over the limit", 413, Encoding.UTF8.GetBytes(ValidJson(SecurityFixture.WebhookMaxBodyBytes + 1 + rng.Next(10_000))), "application/json",
            SecurityFixture.BranchToken, chunked: rng.Next(2) == 0),
    };

    private HostileCase Send(string name, int expected, byte[] body, string contentType, string? token, bool chunked = false) =>
        new(name, "webhook", [expected], async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Route)
            {
                Content = chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body),
            };
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            if (chunked)
            {
                request.Headers.TransferEncodingChunked = true;
            }
            if (token is not null)
            {
                request.Headers.TryAddWithoutValidation("X-Webhook-Token", token);
            }
            using var response = await http.SendAsync(request);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        });

    private byte[] TruncatedJson()
    {
        var json = Encoding.UTF8.GetBytes(ValidJson());
        return json[..(1 + rng.Next(json.Length - 2))];
    }

    private string ValidJson(int padding = 0) =>
        $$$"""{"name":"PURCHASE","id":"{{{Guid.NewGuid():N}}}","timestamp":"{{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}","event_data":{"pad":"{{{new string('x', padding)}}}"}}""";

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        rng.NextBytes(bytes);
        return bytes;
    }
}

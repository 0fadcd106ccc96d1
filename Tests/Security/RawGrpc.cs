using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;

namespace Events.Tests.Security;

/// <summary>
/// gRPC by hand over HTTP/2 (h2c): any bytes as the message, any length prefix, so the tests can send what a real
/// client library never would.
/// </summary>
public sealed class RawGrpc(int port) : IDisposable
{
    public const string DispatchPath = "/event.EventService/dispatch";
    private readonly HttpClient _http = new(new SocketsHttpHandler { EnableMultipleHttp2Connections = true })
    {
        BaseAddress = new Uri($"http://127.0.0.1:{port}"),
        Timeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>A gRPC frame: compressed flag, big-endian length (the payload's own unless told), payload.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> payload, int? declaredLength = null, byte compressed = 0)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = compressed;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), declaredLength ?? payload.Length);
        payload.CopyTo(frame.AsSpan(5));
        return frame;
    }

    /// <summary>Posts <paramref name="body"/> to dispatch and returns grpc-status and grpc-message.</summary>
    public async Task<(int Status, string Message)> CallAsync(byte[] body, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, DispatchPath)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (name, value) in metadata ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        using var response = await _http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"HTTP {(int)response.StatusCode} instead of a gRPC answer");
        }
        // A trailers-only answer carries the status in the headers.
        var status = Header(response.TrailingHeaders, "grpc-status") ?? Header(response.Headers, "grpc-status")
            ?? throw new InvalidOperationException("The answer has no grpc-status");
        var message = Header(response.TrailingHeaders, "grpc-message") ?? Header(response.Headers, "grpc-message") ?? "";
        return (int.Parse(status), Uri.UnescapeDataString(message));
    }

    public void Dispose() => _http.Dispose();

    private static string? Header(HttpHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}

using System.Text.Json;

namespace Events.Tests.Webhooks;

/// <summary>What the local HTTP API received: one request, and what it answered.</summary>
public sealed record ReceivedRequest(string Path, string? Authorization, string? ContentType, string Body, int Status)
{
    /// <summary>The forwarded events (<c>{"events":[...]}</c>); empty when the body is not that shape.</summary>
    public IReadOnlyList<JsonElement> Events()
    {
        try
        {
            using var document = JsonDocument.Parse(Body);
            return document.RootElement.TryGetProperty("events", out var events) && events.ValueKind == JsonValueKind.Array
                ? events.EnumerateArray().Select(e => e.Clone()).ToList()
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}

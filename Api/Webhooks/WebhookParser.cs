using System.Text.Json;
using Events.Api.Security;
using Events.Grains;

namespace Events.Api.Webhooks;

/// <summary>An event read from a webhook body, with the token the provider put beside it (if any).</summary>
internal sealed record ParsedWebhookEvent(IngestedEvent Event, string? BodyToken);

/// <summary>Either the events of a webhook body, or why the body is refused (a 400 for the provider).</summary>
internal sealed record WebhookParse(IReadOnlyList<ParsedWebhookEvent> Events, string? Error)
{
    public static WebhookParse Refused(string error) => new([], error);
}

/// <summary>
/// Reads a provider's webhook body (one event object or an array of them) by the provider's descriptor. A body is
/// taken whole or refused whole: if one event is unusable, none is stored and the reason names its index.
/// </summary>
internal static class WebhookParser
{
    public const int MaxFieldLength = 256;
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    /// <param name="header">Reads a request header; null when absent.</param>
    /// <param name="nowMs">The receive time: events without a readable time get it, and none may be later.</param>
    /// <param name="clockSkew"><c>Events:Limits:ClockSkew</c>: a time ahead of <paramref name="nowMs"/> by at most this is clamped, not flagged.</param>
    public static WebhookParse Parse(WebhookProvider provider, ReadOnlyMemory<byte> body, Func<string, string?> header, long nowMs, TimeSpan clockSkew)
    {
        // JsonDocument checks UTF-8 only when a string is read, which would throw from deep in the parse.
        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
        {
            return WebhookParse.Refused("the body is not valid UTF-8");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, Options);
        }
        catch (JsonException ex)
        {
            return WebhookParse.Refused("the body is not valid JSON: " + Shorten(ex.Message));
        }
        using (document)
        {
            var root = document.RootElement;
            var elements = root.ValueKind switch
            {
                JsonValueKind.Object => [root],
                JsonValueKind.Array => root.EnumerateArray().ToArray(),
                _ => null,
            };
            if (elements is null)
            {
                return WebhookParse.Refused("the body must be a JSON object or an array of objects");
            }
            var events = new List<ParsedWebhookEvent>(elements.Length);
            for (var i = 0; i < elements.Length; i++)
            {
                var (parsed, error) = ParseOne(provider, elements[i], elements.Length, i, header, nowMs, clockSkew);
                if (error is not null)
                {
                    return WebhookParse.Refused(root.ValueKind == JsonValueKind.Object ? error : $"events[{i}]: {error}");
                }
                events.Add(parsed!);
            }
            return new WebhookParse(events, null);
        }
    }

    private static (ParsedWebhookEvent?, string?) ParseOne(
        WebhookProvider provider, JsonElement element, int count, int index, Func<string, string?> header, long nowMs, TimeSpan clockSkew)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return (null, "not a JSON object");
        }
        var bodyToken = provider.BodyTokenPath is { } tokenPath && Find(element, tokenPath) is { ValueKind: JsonValueKind.String } token
            ? token.GetString()
            : null;
        var evt = element;
        if (provider.EnvelopePath is { } envelope)
        {
            if (Find(element, envelope) is not { ValueKind: JsonValueKind.Object } inner)
            {
                return (null, $"'{envelope}' is missing or not an object");
            }
            evt = inner;
        }

        var (name, _) = Read(provider.EventName, evt, header);
        if (string.IsNullOrEmpty(name))
        {
            return (null, $"the event name ({provider.EventName.Describe()}) is missing");
        }
        if (name.Length > MaxFieldLength)
        {
            return (null, $"the event name is longer than {MaxFieldLength} characters");
        }

        var (id, fromHeader) = provider.EventId is { } idField ? Read(idField, evt, header) : (null, false);
        if (id is { Length: > MaxFieldLength })
        {
            return (null, $"the event id is longer than {MaxFieldLength} characters");
        }
        // A header id names the request: events of a batch under one header get its id and their index.
        id = string.IsNullOrEmpty(id) ? EventIds.FromContent(evt) : fromHeader && count > 1 ? $"{id}:{index}" : id;

        var (sent, unreadable) = ReadTimestamp(provider, evt, header);
        var ingested = new IngestedEvent
        {
            Id = id,
            Name = name,
            TimestampMs = sent is { } ms ? Math.Min(ms, nowMs) : nowMs,
            ParamsJson = evt.GetRawText(),
            // A corrected time gets an error_event row saying why, unless a sender's clock is only a little ahead
            // (within ClockSkew); a provider that sends no time is not corrected.
            Flag = sent is { } ahead && EventFlags.IsAhead(ahead, nowMs, clockSkew) ? EventFlags.AheadOfServer(ahead, nowMs)
                : unreadable is not null ? EventFlags.UnreadableTime(unreadable, nowMs)
                : null,
        };
        return (new ParsedWebhookEvent(ingested, bodyToken), null);
    }

    /// <summary>The first readable time; else the first value sent that could not be read, if any.</summary>
    private static (long? Ms, string? Unreadable) ReadTimestamp(WebhookProvider provider, JsonElement evt, Func<string, string?> header)
    {
        if (provider.Timestamp is not { } field)
        {
            return (null, null);
        }
        string? unreadable = null;
        if (field.Header is { } name && header(name) is { Length: > 0 } text)
        {
            if (WebhookTimestamps.TryRead(text, provider.TimestampFormat, out var fromHeader))
            {
                return (fromHeader, null);
            }
            unreadable = text;
        }
        foreach (var path in field.Paths)
        {
            if (Find(evt, path) is { } value)
            {
                if (WebhookTimestamps.TryRead(value, provider.TimestampFormat, out var ms))
                {
                    return (ms, null);
                }
                unreadable ??= value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
            }
        }
        return (null, unreadable);
    }

    /// <summary>A header first, then the first path holding a string or a number (ids are often numbers).</summary>
    private static (string? Value, bool FromHeader) Read(WebhookField field, JsonElement evt, Func<string, string?> header)
    {
        if (field.Header is { } name && header(name) is { Length: > 0 } value)
        {
            return (value.Trim(), true);
        }
        foreach (var path in field.Paths)
        {
            switch (Find(evt, path))
            {
                case { ValueKind: JsonValueKind.String } text when text.GetString()!.Length > 0:
                    return (text.GetString(), false);
                case { ValueKind: JsonValueKind.Number } number:
                    return (number.GetRawText(), false);
            }
        }
        return (null, false);
    }

    private static JsonElement? Find(JsonElement root, string path)
    {
        var current = root;
        foreach (var name in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current)) return null;
        }
        return current.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : current;
    }

    private static string Shorten(string message) => message.Length <= 200 ? message : message[..200] + "...";
}

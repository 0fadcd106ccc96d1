namespace Events.Api.Webhooks;

/// <summary>
/// One webhook provider as data: how it authenticates and where its events keep their id, name and time.
/// The endpoint, the parser and the authenticator are the same code for every provider.
/// </summary>
internal sealed record WebhookProvider
{
    /// <summary>
    /// Lower case: the route (<c>POST /{name}/event</c>), the events' Source (routing rules match on it), the key of
    /// the worker grain they go through, and the configuration section (<c>Events:Webhooks:{Name}</c>).
    /// </summary>
    public required string Name { get; init; }

    public WebhookAuth Auth { get; init; } = WebhookAuth.SharedToken;

    /// <summary>Required: an event without a name is refused (400), since routing needs it.</summary>
    public required WebhookField EventName { get; init; }

    /// <summary>
    /// The provider's own event id. Where it has none (or an event lacks it), the id is a hash of the event's
    /// canonical JSON, so a retry of the same webhook still gets the same id and is stored once.
    /// </summary>
    public WebhookField? EventId { get; init; }

    /// <summary>Where absent or unreadable, the time the request was received (the raw JSON keeps the original).</summary>
    public WebhookField? Timestamp { get; init; }

    public TimestampFormat TimestampFormat { get; init; } = TimestampFormat.EpochMilliseconds;

    /// <summary>When each element of the body wraps the event, the member holding it (Graphy: <c>payload</c>).</summary>
    public string? EnvelopePath { get; init; }

    /// <summary>
    /// A shared token the provider sends inside each element (Graphy: <c>secret_key</c>), checked when the request
    /// carries no token header. It is outside the envelope's event, so it is never stored.
    /// </summary>
    public string? BodyTokenPath { get; init; }

    /// <summary>A request header copied into the events' header as its client id (Shopify: the shop's domain).</summary>
    public string? ClientIdHeader { get; init; }

    public string Route => $"/{Name}/event";
}

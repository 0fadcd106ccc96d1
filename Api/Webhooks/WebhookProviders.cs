namespace Events.Api.Webhooks;

/// <summary>
/// The webhook providers the original service accepted. Field paths follow each provider's documented payload;
/// a provider that changes its format is a change here, not new code.
/// </summary>
internal static class WebhookProviders
{
    /// <summary>Branch.io webhooks: one event per request, top-level <c>id</c>, <c>name</c>, <c>timestamp</c> (ms).</summary>
    public static WebhookProvider Branch { get; } = new()
    {
        Name = "branch",
        EventId = WebhookField.Path("id"),
        EventName = WebhookField.Path("name"),
        Timestamp = WebhookField.Path("timestamp", "event_timestamp"),
        TimestampFormat = TimestampFormat.EpochMilliseconds,
    };

    /// <summary>WebEngage-shaped events from our services: no id (hashed), <c>eventName</c>, ISO <c>eventTime</c>.</summary>
    public static WebhookProvider WebEngage { get; } = new()
    {
        Name = "webengage",
        EventId = WebhookField.Path("eventId", "id"),
        EventName = WebhookField.Path("eventName", "event_name"),
        Timestamp = WebhookField.Path("eventTime", "event_time"),
        TimestampFormat = TimestampFormat.Iso8601,
    };

    /// <summary>
    /// Shopify: the body is the resource (an order...); the topic, the webhook id (the same on every retry of a
    /// delivery), the time it was triggered and the shop are headers.
    /// </summary>
    public static WebhookProvider Shopify { get; } = new()
    {
        Name = "shopify",
        Auth = WebhookAuth.ShopifyHmac,
        EventId = WebhookField.HeaderThen("X-Shopify-Webhook-Id"),
        EventName = WebhookField.HeaderThen("X-Shopify-Topic"),
        Timestamp = WebhookField.HeaderThen("X-Shopify-Triggered-At", "updated_at", "created_at"),
        TimestampFormat = TimestampFormat.Iso8601,
        ClientIdHeader = "X-Shopify-Shop-Domain",
    };

    /// <summary>Graphy community: <c>{ "secret_key": ..., "payload": { "event_id", "event_type", ... } }</c>.</summary>
    public static WebhookProvider Graphy { get; } = new()
    {
        Name = "graphy",
        EnvelopePath = "payload",
        BodyTokenPath = "secret_key",
        EventId = WebhookField.Path("event_id"),
        EventName = WebhookField.Path("event_type"),
        Timestamp = WebhookField.Path("created_at", "timestamp"),
        TimestampFormat = TimestampFormat.Iso8601,
    };

    /// <summary>Vidooly: <c>id</c>, <c>event</c>, <c>timestamp</c> (ms).</summary>
    public static WebhookProvider Vidooly { get; } = new()
    {
        Name = "vidooly",
        EventId = WebhookField.Path("id", "event_id"),
        EventName = WebhookField.Path("event", "event_name"),
        Timestamp = WebhookField.Path("timestamp"),
        TimestampFormat = TimestampFormat.EpochMilliseconds,
    };

    public static IReadOnlyList<WebhookProvider> All { get; } = [Branch, WebEngage, Shopify, Graphy, Vidooly];
}

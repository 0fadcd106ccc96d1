using static Events.Grains.Tables.WebhookColumns;

namespace Events.Grains.Tables;

/// <summary>
/// The tables third-party webhooks are written to (one per provider), and the WebEngage API forwarder.
/// Each row is one provider event: id, name and times, the fields analysts filter on as typed columns, and the raw
/// JSON. Rows are keyed like <c>event</c>: a provider's retry of the same webhook has the same (event_name, event_id)
/// and collapses on merge (count exactly with FINAL).
/// </summary>
public static class WebhookTables
{
    private const string Engine = "ReplacingMergeTree(insert_timestamp)";
    private const string Partition = "toYYYYMM(event_timestamp)";
    private const string Key = "event_name, event_id";

    /// <summary>Branch.io attribution events (Branch's event ontology: top-level flags, user_data, last_attributed_touch_data).</summary>
    public static TableSchema Branch { get; } = Webhook("branch_event",
    [
        String("customer_event_alias", "customer_event_alias"),
        LowCardinality("origin", "origin"),
        Bool("attributed", "attributed"),
        Bool("deep_linked", "deep_linked"),
        Bool("existing_user", "existing_user"),
        Bool("first_event_for_user", "first_event_for_user"),
        Bool("has_clicked", "has_clicked", "user_data.has_clicked", "last_attributed_touch_data.+clicked_branch_link"),
        Bool("has_app", "has_app", "user_data.has_app"),
        Int64("seconds_from_install", "seconds_from_install_to_event", "seconds_from_install"),
        Int64("seconds_from_last_attributed_touch_timestamp", "seconds_from_last_attributed_touch_to_event"),
        EpochMilliseconds("last_attributed_touch_timestamp", "last_attributed_touch_timestamp"),
        LowCardinality("last_attributed_touch_type", "last_attributed_touch_type"),
        String("developer_identity", "user_data.developer_identity"),
        LowCardinality("os", "user_data.os"),
        LowCardinality("platform", "user_data.platform"),
        LowCardinality("app_version", "user_data.app_version"),
        LowCardinality("geo_country_en", "user_data.geo_country_en", "geo_country_en"),
        LowCardinality("geo_region_en", "user_data.geo_region_en", "geo_region_en"),
        String("geo_city_en", "user_data.geo_city_en", "geo_city_en"),
        String("campaign", "last_attributed_touch_data.~campaign", "campaign"),
        LowCardinality("channel", "last_attributed_touch_data.~channel", "channel"),
        LowCardinality("feature", "last_attributed_touch_data.~feature", "feature"),
        String("tags", "last_attributed_touch_data.~tags", "tags"),
        String("link_id", "last_attributed_touch_data.~id"),
        String("event_data", "event_data"),
        String("custom_data", "custom_data"),
        String("content_items", "content_items"),
        String("user_data", "user_data"),
        String("last_attributed_touch_data", "last_attributed_touch_data"),
    ]);

    /// <summary>WebEngage events, in the shape of WebEngage's event API (userId, eventName, eventTime, eventData).</summary>
    public static TableSchema WebEngage { get; } = Webhook("webengage_event",
    [
        String("user_id", "userId", "user_id"),
        String("anonymous_id", "anonymousId", "anonymous_id"),
        String("event_data", "eventData", "event_data"),
        String("system_data", "systemData", "system_data"),
    ]);

    /// <summary>Shopify webhooks: the topic is the event name, the body the resource (an order, a customer...).</summary>
    public static TableSchema Shopify { get; } = Webhook("shopify_event",
    [
        // The Api puts X-Shopify-Shop-Domain in the header's client id.
        new("shop_domain", "LowCardinality(String)", r => r.Header.ClientId),
        Int64("resource_id", "id"),
        String("admin_graphql_api_id", "admin_graphql_api_id"),
        String("email", "email", "customer.email"),
        Int64("customer_id", "customer.id"),
        LowCardinality("currency", "currency"),
        Decimal("total_price", "total_price"),
        LowCardinality("financial_status", "financial_status"),
    ]);

    /// <summary>Graphy community webhooks (the envelope's <c>payload</c>; its <c>secret_key</c> is never stored).</summary>
    public static TableSchema Graphy { get; } = Webhook("graphy_event",
    [
        Int64("actor_id", "actor_id"),
        String("actor_id_ext", "actor_id_ext"),
        String("affected_ids", "affected_id"),
        String("affected_ids_ext", "affected_ids_ext"),
        Int64("channel_id", "meta_data.channel_id"),
        String("url", "meta_data.url"),
        String("meta_data", "meta_data"),
    ]);

    /// <summary>Vidooly video-analytics events.</summary>
    public static TableSchema Vidooly { get; } = Webhook("vidooly_event",
    [
        String("channel_id", "channel_id", "data.channel_id"),
        String("video_id", "video_id", "data.video_id"),
        String("data", "data"),
    ]);

    /// <summary>
    /// Not a table: WebEngage events forwarded to WebEngage's API (<see cref="SinkStore.HttpApi"/>). The writer sends
    /// each row's <c>payload</c>; a row the API refuses, or that cannot be delivered within the retry limit, goes to
    /// <c>error_event</c> and the dead-letter queue like any refused row.
    /// </summary>
    public static TableSchema WebEngageApi { get; } = new()
    {
        Name = "webengage_api",
        Store = SinkStore.HttpApi,
        Columns =
        [
            new("event_id", "String", r => r.Event.Id),
            new("event_name", "String", r => r.Event.Name),
            new("payload", "String", r => r.Event.ParamsJson),
        ],
        Engine = "none (forwarded over HTTP)",
        OrderBy = "event_id",
    };

    public static IReadOnlyList<TableSchema> All { get; } = [Branch, WebEngage, Shopify, Graphy, Vidooly, WebEngageApi];

    private static TableSchema Webhook(string name, IReadOnlyList<ColumnSpec> typed) => new()
    {
        Name = name,
        Columns = [.. Leading, .. typed, Raw],
        ReadsParams = true,
        Engine = Engine,
        PartitionBy = Partition,
        OrderBy = Key,
    };
}

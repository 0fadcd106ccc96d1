using System.Globalization;
using System.Text.Json;
using static Events.Grains.Tables.WebhookColumns;

namespace Events.Grains.Tables;

/// <summary>
/// The tables fed by JSON other services publish to RabbitMQ (<c>Events:RabbitMq:Inputs</c>), one per original
/// consumer. A row is one JSON object: its id (a configured field, else a hash of the object), the event name (the
/// routing key), its time (a configured field, else when it was read), the fields analysts filter on as typed
/// columns, and the object as <c>raw</c>. Only trace_log's fields are known from the original; the others are read
/// under the usual names (camelCase first, then snake_case) and default when absent, while <c>raw</c> keeps everything.
/// Keys end in event_id and hold only values a redelivered copy repeats, so copies collapse on merge (count with FINAL).
/// </summary>
public static class BrokerInputTables
{
    public static TableSchema TraceLog { get; } = Input("trace_log", "service_name, host_name, event_id",
    [
        LowCardinality("host_name", "hostName", "host_name", "host"),
        LowCardinality("service_name", "serviceName", "service_name", "service"),
        Int64("time_taken", "timeTaken", "time_taken"),
        LowCardinality("method", "method", "httpMethod", "http_method"),
        String("uri", "uri", "url", "path"),
        Int64("status_code", "statusCode", "status_code", "status"),
        String("trace_id", "traceId", "trace_id", "requestId", "request_id"),
        String("user_id", "userId", "user_id"),
        String("error", "error", "errorMessage", "error_message"),
    ]);

    public static TableSchema AffiliateOrder { get; } = Input("affiliate_order", "affiliate_id, order_id, event_id",
    [
        String("order_id", "orderId", "order_id", "id"),
        String("affiliate_id", "affiliateId", "affiliate_id"),
        String("user_id", "userId", "user_id"),
        String("product_id", "productId", "product_id"),
        LowCardinality("merchant", "merchant", "store"),
        Decimal("amount", "amount", "orderAmount", "order_amount"),
        Decimal("commission", "commission", "commissionAmount", "commission_amount"),
        LowCardinality("currency", "currency"),
        LowCardinality("status", "status", "orderStatus", "order_status"),
    ]);

    public static TableSchema BigBossVotes { get; } = Input("bigboss_votes", "show_id, contestant_id, event_id",
    [
        String("user_id", "userId", "user_id"),
        String("contestant_id", "contestantId", "contestant_id", "candidateId", "candidate_id"),
        LowCardinality("show_id", "showId", "show_id", "season"),
        String("episode_id", "episodeId", "episode_id"),
        Int64("votes", "votes", "voteCount", "vote_count", "count"),
    ]);

    public static TableSchema PostLogEvent { get; } = Input("post_log_event", "platform, post_id, event_id", Post(
    [
        LowCardinality("post_type", "postType", "post_type", "type"),
        Int64("likes", "likes", "likeCount", "like_count"),
        Int64("comments", "comments", "commentCount", "comment_count"),
        Int64("shares", "shares", "shareCount", "share_count"),
        Int64("views", "views", "viewCount", "view_count"),
    ]));

    public static TableSchema PostActivityLogEvent { get; } = Input("post_activity_log_event", "platform, post_id, event_id", Post(
    [
        LowCardinality("activity", "activity", "activityType", "activity_type", "action"),
        String("actor_id", "actorId", "actor_id", "userId", "user_id"),
    ]));

    public static TableSchema SentimentLog { get; } = Input("sentiment_log", "platform, post_id, event_id", Post(
    [
        String("comment_id", "commentId", "comment_id"),
        LowCardinality("sentiment", "sentiment", "label"),
        Float64("score", "score", "sentimentScore", "sentiment_score"),
    ]));

    public static TableSchema ProfileLog { get; } = Input("profile_log", "platform, profile_id, event_id", Profile(
    [
        String("handle", "handle", "username", "userName"),
        Int64("followers", "followers", "followerCount", "followers_count"),
        Int64("following", "following", "followingCount", "following_count"),
        Int64("posts", "posts", "postCount", "posts_count", "media_count"),
    ]));

    public static TableSchema ProfileRelationshipLog { get; } = Input("profile_relationship_log", "platform, profile_id, event_id", Profile(
    [
        String("related_profile_id", "relatedProfileId", "related_profile_id", "targetProfileId", "target_profile_id"),
        LowCardinality("relationship", "relationship", "relationshipType", "relationship_type", "type"),
    ]));

    public static TableSchema ScrapeRequestLog { get; } = Input("scrape_request_log", "platform, event_id",
    [
        String("request_id", "requestId", "request_id", "id"),
        LowCardinality("platform", "platform", "source"),
        String("url", "url", "uri"),
        LowCardinality("status", "status", "state"),
        Int64("time_taken", "timeTaken", "time_taken", "durationMs", "duration_ms"),
        String("error", "error", "errorMessage", "error_message"),
    ]);

    public static TableSchema OrderLog { get; } = Input("order_log", "order_id, event_id",
    [
        String("order_id", "orderId", "order_id", "id"),
        String("user_id", "userId", "user_id"),
        LowCardinality("status", "status", "orderStatus", "order_status"),
        Decimal("amount", "amount", "total", "orderAmount", "order_amount"),
        LowCardinality("currency", "currency"),
        LowCardinality("platform", "platform", "channel", "source"),
    ]);

    public static TableSchema ActivityTracker { get; } = Input("activity_tracker", "partner_id, activity, event_id",
    [
        String("partner_id", "partnerId", "partner_id"),
        String("user_id", "userId", "user_id"),
        LowCardinality("activity", "activity", "action", "activityType", "activity_type"),
        LowCardinality("entity_type", "entityType", "entity_type"),
        String("entity_id", "entityId", "entity_id"),
    ]);

    public static TableSchema AccountProfileComplete { get; } = Input("account_profile_complete", "user_id, event_id",
    [
        String("user_id", "userId", "user_id", "accountId", "account_id"),
        Int64("completion", "completionPercentage", "completion_percentage", "percentage"),
        LowCardinality("step", "step", "stage"),
    ]);

    public static TableSchema AbAssignment { get; } = Input("ab_assignment", "experiment, user_id, event_id",
    [
        LowCardinality("experiment", "experiment", "experimentId", "experiment_id", "test"),
        LowCardinality("variant", "variant", "variation", "bucket"),
        String("user_id", "userId", "user_id"),
        String("device_id", "deviceId", "device_id"),
    ]);

    public static IReadOnlyList<TableSchema> All { get; } =
    [
        TraceLog, AffiliateOrder, BigBossVotes, PostLogEvent, PostActivityLogEvent, SentimentLog, ProfileLog,
        ProfileRelationshipLog, ScrapeRequestLog, OrderLog, ActivityTracker, AccountProfileComplete, AbAssignment,
    ];

    // beat.dx's social-media logs: which post of which profile on which platform.
    private static ColumnSpec[] Post(ColumnSpec[] fields) =>
    [
        String("post_id", "postId", "post_id", "shortcode"),
        String("profile_id", "profileId", "profile_id"),
        LowCardinality("platform", "platform", "source"),
        .. fields,
    ];

    private static ColumnSpec[] Profile(ColumnSpec[] fields) =>
    [
        String("profile_id", "profileId", "profile_id"),
        LowCardinality("platform", "platform", "source"),
        .. fields,
    ];

    private static ColumnSpec Float64(string column, params string[] paths) => new(column, "Float64", r =>
        paths.Select(path => ParamColumns.Find(r.Params, path)).FirstOrDefault(v => v is not null) is { } value && TryDouble(value, out var d) ? d : 0d);

    private static bool TryDouble(JsonElement value, out double number)
    {
        number = 0;
        var parsed = value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetDouble(out number),
            JsonValueKind.String => double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number),
            _ => false,
        };
        return parsed && double.IsFinite(number);
    }

    private static TableSchema Input(string name, string orderBy, IReadOnlyList<ColumnSpec> fields) => new()
    {
        Name = name,
        Columns = [.. Leading, .. fields, Raw],
        Engine = "ReplacingMergeTree(insert_timestamp)",
        PartitionBy = "toYYYYMM(event_timestamp)",
        OrderBy = orderBy,
        ReadsParams = true,
    };
}

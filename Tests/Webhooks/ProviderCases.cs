using System.Text.Json;

namespace Events.Tests.Webhooks;

/// <summary>The five providers as the tests drive them, with bodies shaped like the providers' documented payloads.</summary>
public static class ProviderCases
{
    public static ProviderCase Branch { get; } = new()
    {
        Provider = "branch",
        Table = "branch_event",
        Auth = AuthStyle.TokenQuery,
        ExpectedName = "PURCHASE",
        ExpectedId = s => s.Id,
        Event = (s, _) => $$"""
            {"id": "{{s.Id}}", "name": "PURCHASE", "timestamp": {{s.TimestampMs}}, "origin": "SDK",
             "attributed": true, "deep_linked": true, "existing_user": false, "first_event_for_user": true,
             "seconds_from_install_to_event": 3600, "seconds_from_last_attributed_touch_to_event": 120,
             "last_attributed_touch_timestamp": {{s.TimestampMs - 120_000}}, "last_attributed_touch_type": "CLICK",
             "user_data": {"developer_identity": "{{s.Marker}}", "os": "ANDROID", "platform": "ANDROID_APP", "app_version": "5.1.0",
                           "geo_country_en": "India", "geo_region_en": "Karnataka", "geo_city_en": "Bengaluru", "has_app": true},
             "last_attributed_touch_data": {"~id": "1234567890", "~campaign": "diwali-sale", "~channel": "instagram",
                           "~feature": "marketing", "~tags": ["festive", "paid"], "+clicked_branch_link": true},
             "event_data": {"revenue": 499.5, "currency": "INR"}, "custom_data": {"plan": "gold"} }
            """,
        CheckColumns = (row, s) =>
        {
            Assert.True(row.GetProperty("attributed").GetBoolean());
            Assert.True(row.GetProperty("deep_linked").GetBoolean());
            Assert.False(row.GetProperty("existing_user").GetBoolean());
            Assert.True(row.GetProperty("has_clicked").GetBoolean());
            Assert.True(row.GetProperty("has_app").GetBoolean());
            Assert.Equal("3600", Text(row, "seconds_from_install"));
            Assert.Equal("120", Text(row, "seconds_from_last_attributed_touch_timestamp"));
            Assert.Equal("India", Text(row, "geo_country_en"));
            Assert.Equal("Karnataka", Text(row, "geo_region_en"));
            Assert.Equal("Bengaluru", Text(row, "geo_city_en"));
            Assert.Equal("diwali-sale", Text(row, "campaign"));
            Assert.Equal("instagram", Text(row, "channel"));
            Assert.Equal("marketing", Text(row, "feature"));
            Assert.Equal("""["festive","paid"]""", Text(row, "tags").Replace(" ", ""));
            Assert.Equal("1234567890", Text(row, "link_id"));
            Assert.Equal(s.Marker, Text(row, "developer_identity"));
            Assert.Equal("CLICK", Text(row, "last_attributed_touch_type"));
            Assert.Equal(499.5, JsonDocument.Parse(Text(row, "event_data")).RootElement.GetProperty("revenue").GetDouble());
            Assert.Contains("\"~campaign\"", Text(row, "last_attributed_touch_data"));
            Assert.Contains("Bengaluru", Text(row, "user_data"));
        },
    };

    public static ProviderCase WebEngage { get; } = new()
    {
        Provider = "webengage",
        Table = "webengage_event",
        Auth = AuthStyle.TokenHeader,
        ExpectedName = "Added To Cart",
        ExpectedId = s => ProviderCase.HashId(WebEngageEvent(s)),
        Event = (s, _) => WebEngageEvent(s),
        CheckColumns = (row, s) =>
        {
            Assert.Equal(s.Marker, Text(row, "user_id"));
            Assert.Equal("sku-42", JsonDocument.Parse(Text(row, "event_data")).RootElement.GetProperty("sku").GetString());
        },
    };

    public static ProviderCase Shopify { get; } = new()
    {
        Provider = "shopify",
        Table = "shopify_event",
        Auth = AuthStyle.ShopifyHmac,
        ExpectedName = "orders/create",
        ExpectedId = s => s.Id,
        Headers = s => new Dictionary<string, string>
        {
            ["X-Shopify-Topic"] = "orders/create",
            ["X-Shopify-Webhook-Id"] = s.Id,
            ["X-Shopify-Shop-Domain"] = $"{s.Marker}.myshopify.com",
            ["X-Shopify-Triggered-At"] = s.IsoNanoseconds,
            ["X-Shopify-API-Version"] = "2025-07",
        },
        Event = (s, _) => $$"""
            {"id": {{s.Number}}, "admin_graphql_api_id": "gid://shopify/Order/{{s.Number}}", "email": "{{s.Marker}}@example.com",
             "currency": "INR", "total_price": "1999.50", "financial_status": "paid", "created_at": "2024-01-01T10:00:00+05:30",
             "customer": {"id": 207119551, "email": "{{s.Marker}}@example.com"}, "line_items": [{"id": 1, "quantity": 2}]}
            """,
        CheckColumns = (row, s) =>
        {
            Assert.Equal($"{s.Marker}.myshopify.com", Text(row, "shop_domain"));
            Assert.Equal(s.Number.ToString(), Text(row, "resource_id"));
            Assert.Equal("207119551", Text(row, "customer_id"));
            Assert.Equal("INR", Text(row, "currency"));
            Assert.Equal(1999.5m, decimal.Parse(Text(row, "total_price"), System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal("paid", Text(row, "financial_status"));
        },
    };

    public static ProviderCase Graphy { get; } = new()
    {
        Provider = "graphy",
        Table = "graphy_event",
        Auth = AuthStyle.TokenInBody,
        ExpectedName = "forum_post_new",
        ExpectedId = s => s.Number.ToString(),
        SendsTimestamp = false,
        Event = (s, token) => $$"""
            { {{(token is null ? "" : $"\"secret_key\": \"{token}\",")}}
              "payload": {"event_type": "forum_post_new", "event_id": {{s.Number}}, "actor_id": 17, "actor_id_ext": "{{s.Marker}}",
                          "affected_id": [2, 3, 4], "affected_ids_ext": ["a2", "a3", "a4"],
                          "meta_data": {"channel_id": 7, "truncated_text": "Hello", "url": "https://community.example/post/1"} } }
            """,
        CheckColumns = (row, s) =>
        {
            Assert.Equal("17", Text(row, "actor_id"));
            Assert.Equal(s.Marker, Text(row, "actor_id_ext"));
            Assert.Equal("7", Text(row, "channel_id"));
            Assert.Equal("https://community.example/post/1", Text(row, "url"));
            Assert.Equal("[2,3,4]", Text(row, "affected_ids").Replace(" ", ""));
            // The envelope's secret is what authenticates the request; it must not be stored.
            Assert.DoesNotContain("secret", Text(row, "raw"));
        },
    };

    public static ProviderCase Vidooly { get; } = new()
    {
        Provider = "vidooly",
        Table = "vidooly_event",
        Auth = AuthStyle.TokenHeader,
        ExpectedName = "video_published",
        ExpectedId = s => s.Id,
        Event = (s, _) => $$"""
            {"id": "{{s.Id}}", "event": "video_published", "timestamp": {{s.TimestampMs}},
             "channel_id": "UC{{s.Marker}}", "video_id": "v-{{s.Marker}}", "data": {"views": 1200, "title": "Launch"} }
            """,
        CheckColumns = (row, s) =>
        {
            Assert.Equal($"UC{s.Marker}", Text(row, "channel_id"));
            Assert.Equal($"v-{s.Marker}", Text(row, "video_id"));
            Assert.Equal(1200, JsonDocument.Parse(Text(row, "data")).RootElement.GetProperty("views").GetInt32());
        },
    };

    public static IReadOnlyList<ProviderCase> All { get; } = [Branch, WebEngage, Shopify, Graphy, Vidooly];

    public static TheoryData<string> Names => new(All.Select(c => c.Provider));

    public static ProviderCase Get(string provider) => All.Single(c => c.Provider == provider);

    public static string WebEngageEvent(Sample s) => $$"""
        {"userId": "{{s.Marker}}", "eventName": "Added To Cart", "eventTime": "{{s.IsoWithCompactOffset}}",
         "eventData": {"sku": "sku-42", "price": 499.5, "quantity": 1} }
        """;

    /// <summary>A column's value as ClickHouse's JSON writes it (64-bit integers come quoted).</summary>
    public static string Text(JsonElement row, string column)
    {
        var value = row.GetProperty(column);
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
    }
}

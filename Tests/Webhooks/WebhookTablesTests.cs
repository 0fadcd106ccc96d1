using Events.Grains;
using Events.Grains.Tables;

namespace Events.Tests.Webhooks;

public sealed class WebhookTablesTests
{
    [Fact]
    public void WebhookTables_DedupOnTheEventId_AndKeepTheRawJson()
    {
        foreach (var table in WebhookTables.All.Where(t => t.Store == SinkStore.ClickHouse))
        {
            Assert.StartsWith("ReplacingMergeTree", table.Engine);
            Assert.Equal("event_name, event_id", table.OrderBy);
            Assert.Equal(["event_id", "event_name", "event_timestamp", "insert_timestamp"], table.ColumnNames.Take(4));
            Assert.Equal("raw", table.ColumnNames[^1]);
            Assert.Equal(table.ColumnNames.Count, table.ColumnNames.Distinct().Count());
        }
    }

    [Fact]
    public void TheForwarder_IsNotAClickHouseTable()
    {
        Assert.Equal(SinkStore.HttpApi, WebhookTables.WebEngageApi.Store);
        Assert.Contains(WebhookTables.WebEngageApi, AllTables.List);
        Assert.Contains("payload", WebhookTables.WebEngageApi.ColumnNames);
    }

    [Fact]
    public void BranchRow_ReadsTheAttributionFields_WithDefaultsForWhatIsMissing()
    {
        var row = Map(WebhookTables.Branch, """
            {"id": "b1", "name": "OPEN", "attributed": true, "seconds_from_install_to_event": "42",
             "user_data": {"geo_country_en": "India"}, "last_attributed_touch_data": {"~campaign": "c1", "~tags": ["x"]}}
            """);

        Assert.Equal(true, row["attributed"]);
        Assert.Equal(false, row["deep_linked"]);
        Assert.Equal(42L, row["seconds_from_install"]);
        Assert.Equal(0L, row["seconds_from_last_attributed_touch_timestamp"]);
        Assert.Equal("India", row["geo_country_en"]);
        Assert.Equal("", row["geo_city_en"]);
        Assert.Equal("c1", row["campaign"]);
        Assert.Equal("""["x"]""", row["tags"]);
        Assert.Equal(DateTime.UnixEpoch, row["last_attributed_touch_timestamp"]);
    }

    [Fact]
    public void ShopifyRow_ReadsMoneyExactly_AndTheShopFromTheHeader()
    {
        var row = Map(WebhookTables.Shopify, """{"id": 5, "total_price": "10.10", "customer": {"id": 9}}""", new EventHeader { ClientId = "s.myshopify.com" });

        Assert.Equal(10.10m, row["total_price"]);
        Assert.Equal("s.myshopify.com", row["shop_domain"]);
        Assert.Equal(9L, row["customer_id"]);
        Assert.Equal(5L, row["resource_id"]);
    }

    private static Dictionary<string, object> Map(TableSchema table, string json, EventHeader? header = null)
    {
        var evt = new IngestedEvent { Id = "e1", Name = "n", TimestampMs = 1_700_000_000_000, ParamsJson = json };
        var group = new EventGroup { Source = "test", EventName = "n", Header = header ?? EventHeader.Empty, Events = [evt], ReceivedAtUtc = DateTime.UtcNow };
        var values = table.MapRow(new RowContext(group, evt));
        return table.ColumnNames.Zip(values).ToDictionary(p => p.First, p => p.Second);
    }
}

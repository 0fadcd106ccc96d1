using System.Text.Json;
using Events.Grains;
using Events.Grains.Routing;
using Events.Grains.Tables;
using Events.Protos;
using Events.Tests.Infrastructure;
using Google.Protobuf;

namespace Events.Tests.Unit;

// Events.Tests.ClientTables (the end-to-end tests' namespace) would hide the table family otherwise.
using ClientTables = Events.Grains.Tables.ClientTables;

/// <summary>The tables fed by one client event type each, mapped from the params JSON the Api writes for them.</summary>
public sealed class ClientTablesTests
{
    [Fact]
    public void ClickEvent_EveryFieldOfTheMessage_LandsInItsTypedColumn()
    {
        var row = Map(ClientTables.ClickEvent, new ClickEvent
        {
            ElementId = "buy-button", ElementType = "button", ElementText = "Buy now", PageName = "product",
            TargetUrl = "app://cart", Position = 3,
        });

        Assert.Equal("buy-button", row["element_id"]);
        Assert.Equal("button", row["element_type"]);
        Assert.Equal("Buy now", row["element_text"]);
        Assert.Equal("product", row["page_name"]);
        Assert.Equal("app://cart", row["target_url"]);
        Assert.Equal(3L, row["position"]);
        Assert.Equal("ClickEvent", row["event_name"]);
        Assert.Equal("device-1", row["device_id"]);
    }

    [Fact]
    public void AppInitEvent_Int64AndBoolFields_AreTyped()
    {
        var row = Map(ClientTables.AppInitEvent, new AppInitEvent
        {
            DeviceModel = "Pixel 9", Manufacturer = "Google", OsVersion = "15", ScreenResolution = "1080x2400",
            NetworkType = "wifi", InitTimeMs = 9_000_000_000, IsRooted = true,
        });

        Assert.Equal("Pixel 9", row["device_model"]);
        Assert.Equal("Google", row["manufacturer"]);
        Assert.Equal("15", row["os_version"]);
        Assert.Equal("1080x2400", row["screen_resolution"]);
        Assert.Equal("wifi", row["network_type"]);
        Assert.Equal(9_000_000_000L, row["init_time_ms"]);
        Assert.Equal(true, row["is_rooted"]);
    }

    [Fact]
    public void LaunchReferEvent_FeedsBothItsClickHouseAndItsPostgresTable()
    {
        var message = new LaunchReferEvent { ReferrerId = "u-42", ReferralCode = "FRIEND", Campaign = "diwali", Source = "whatsapp", DeepLink = "app://x" };

        var clickHouse = Map(ClientTables.LaunchReferEvent, message);
        var postgres = Map(PostgresTables.ReferralEvent, message);

        foreach (var row in new[] { clickHouse, postgres })
        {
            Assert.Equal("u-42", row["referrer_id"]);
            Assert.Equal("FRIEND", row["referral_code"]);
            Assert.Equal("diwali", row["campaign"]);
            Assert.Equal("whatsapp", row["source"]);
            Assert.Equal("app://x", row["deep_link"]);
        }
        Assert.Equal(77L, postgres["referee_user_id"]);
        Assert.Equal("device-1", postgres["referee_device_id"]);
    }

    [Fact]
    public void MessageWithDefaultFields_GetsTheColumnDefaults()
    {
        // Protobuf JSON leaves default values out.
        var row = Map(ClientTables.AppInitEvent, new AppInitEvent());

        Assert.Equal("", row["device_model"]);
        Assert.Equal(0L, row["init_time_ms"]);
        Assert.Equal(false, row["is_rooted"]);
    }

    [Fact]
    public void ClientTables_AreClickHouseReplacingMergeTrees_DedupedByEventId_ByMonth()
    {
        foreach (var table in ClientTables.All)
        {
            Assert.Equal(SinkStore.ClickHouse, table.Store);
            Assert.StartsWith("ReplacingMergeTree", table.Engine);
            Assert.EndsWith(", event_id", table.OrderBy);
            Assert.Equal("toYYYYMM(event_timestamp)", table.PartitionBy);
            Assert.DoesNotContain("event_timestamp", table.OrderBy); // a retried, clamped event may carry another time
            Assert.Contains($"CREATE TABLE IF NOT EXISTS `db`.`{table.Name}`", table.CreateTableSql("db"));
        }
    }

    [Fact]
    public void SiloRoutingRules_SendClientEventsToTheirTables_AndAreValid()
    {
        var rules = SiloRoutingRules();
        var routing = new RoutingTable(rules);

        Assert.Empty(RoutingTable.Validate(rules, new TableCatalog(AllTables.List)));
        Assert.Equal(["event", "click_event"], routing.TablesFor("grpc", "ClickEvent"));
        Assert.Equal(["event", "app_init_event"], routing.TablesFor("grpc", "AppInitEvent"));
        Assert.Equal(["event", "launch_refer_event", "referral_event"], routing.TablesFor("grpc", "LaunchReferEvent"));
        Assert.Equal(["event"], routing.TablesFor("grpc", "LaunchEvent"));
    }

    private static List<RouteRule> SiloRoutingRules()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "Silo", "appsettings.json")));
        var rules = settings.RootElement.GetProperty("Events").GetProperty("Routing").GetProperty("Rules");
        return rules.Deserialize<List<RouteRule>>(new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
    }

    private static Dictionary<string, object> Map(TableSchema table, IMessage message)
    {
        var group = new EventGroup
        {
            Source = "grpc", EventName = message.Descriptor.Name, Events = [],
            Header = new EventHeader { UserId = 77, DeviceId = "device-1" },
        };
        var evt = new IngestedEvent { Id = "e-1", Name = message.Descriptor.Name, TimestampMs = 0, ParamsJson = JsonFormatter.Default.Format(message) };
        var values = table.MapRow(new RowContext(group, evt));
        return table.ColumnNames.Zip(values).ToDictionary(p => p.First, p => p.Second);
    }
}

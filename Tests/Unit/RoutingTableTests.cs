using Events.Grains.Routing;
using Events.Grains.Tables;

namespace Events.Tests.Unit;

public sealed class RoutingTableTests
{
    private static readonly TableCatalog Catalog = new([
        EventTables.Event,
        new TableSchema { Name = "click_event", Columns = EventTables.Event.Columns, Engine = "MergeTree", OrderBy = "event_id" },
    ]);

    [Fact]
    public void TablesFor_UnionOfEveryMatchingRule_WithoutDuplicates()
    {
        var routing = new RoutingTable([
            new RouteRule { Source = "grpc", Tables = ["event"] },
            new RouteRule { Source = "grpc", EventName = "ClickEvent", Tables = ["click_event", "event"] },
        ]);

        Assert.Equal(["event", "click_event"], routing.TablesFor("grpc", "ClickEvent"));
        Assert.Equal(["event"], routing.TablesFor("grpc", "LaunchEvent"));
        Assert.Empty(routing.TablesFor("webhook", "LaunchEvent"));
    }

    [Fact]
    public void Validate_ListsEveryProblem()
    {
        var problems = RoutingTable.Validate([
            new RouteRule { Tables = [] },
            new RouteRule { Tables = ["event", "missing_table"] },
            new RouteRule { Source = "", Tables = ["event"] },
        ], Catalog).ToList();

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.Contains("Rules:0 names no table"));
        Assert.Contains(problems, p => p.Contains("unknown table 'missing_table'"));
        Assert.Contains(problems, p => p.Contains("Rules:2 needs a Source"));
    }

    [Fact]
    public void Validate_NoRules_IsAProblem()
    {
        Assert.Single(RoutingTable.Validate([], Catalog));
    }

    [Fact]
    public void Validate_DefaultConfiguration_IsValid()
    {
        Assert.Empty(RoutingTable.Validate([new RouteRule { Source = "grpc", Tables = ["event"] }], Catalog));
    }
}

namespace Events.Grains.Routing;

/// <summary>One line of the routing table: events of this source and name go to these tables.</summary>
public sealed class RouteRule
{
    /// <summary>The source the events came in through (<c>grpc</c>, ...), or <c>*</c> for any. Default <c>*</c>.</summary>
    public string Source { get; set; } = RoutingTable.Any;

    /// <summary>The event type name (<c>LaunchEvent</c>, ...), or <c>*</c> for any. Default <c>*</c>.</summary>
    public string EventName { get; set; } = RoutingTable.Any;

    /// <summary>The sink tables the matching events are written to.</summary>
    public List<string> Tables { get; set; } = [];
}

namespace Events.Grains.Routing;

/// <summary>The routing table, bound from the <c>Events:Routing</c> configuration section.</summary>
public sealed class RoutingOptions
{
    public const string Section = "Events:Routing";

    /// <summary>Every matching rule applies: an event goes to the union of their tables.</summary>
    public List<RouteRule> Rules { get; set; } = [];
}

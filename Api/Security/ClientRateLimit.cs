namespace Events.Api.Security;

/// <summary>One client's own rate (<c>Events:RateLimit:Clients:&lt;clientId&gt;</c>); null keeps the default.</summary>
public sealed class ClientRateLimit
{
    public int? RequestsPerSecond { get; set; }

    public int? Burst { get; set; }
}

namespace Events.Tests.Security;

/// <summary>
/// One generated bad request: which front door, the answers it may get (gRPC status codes or HTTP status codes), and
/// how many events it stores as UnknownEvent when it is accepted.
/// </summary>
public sealed record HostileCase(string Name, string Door, int[] Allowed, Func<Task<(int Status, string Message)>> Send, int UnknownEvents = 0);

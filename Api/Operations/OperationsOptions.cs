namespace Events.Api.Operations;

/// <summary>Readiness probing and shutdown of the front end (<c>Events:Operations</c>).</summary>
public sealed class OperationsOptions
{
    public const string Section = "Events:Operations";

    /// <summary>How long one readiness check (a TCP connect, a cluster call) may take. Default 2 s.</summary>
    public TimeSpan CheckTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long SIGTERM waits for calls in flight before the process exits. Default 30 s.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<string> Problems()
    {
        if (CheckTimeout <= TimeSpan.Zero || CheckTimeout > TimeSpan.FromSeconds(30))
        {
            yield return $"Events:Operations:CheckTimeout {CheckTimeout} must be positive and at most 30 s.";
        }
        if (ShutdownTimeout <= TimeSpan.Zero)
        {
            yield return $"Events:Operations:ShutdownTimeout {ShutdownTimeout} must be positive.";
        }
    }
}

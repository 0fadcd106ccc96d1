using System.Net;

namespace Events.Api.Operations;

/// <summary>
/// Who may open the Orleans Dashboard at <c>/dashboard</c> (<c>Events:Dashboard</c>). Set both from the environment
/// (<c>Events__Dashboard__User</c>, <c>Events__Dashboard__Password</c>), never in a committed file. Default: none,
/// which is allowed only while the Api listens on loopback.
/// </summary>
public sealed class DashboardAccessOptions
{
    public const string Section = "Events:Dashboard";

    public string User { get; set; } = "";

    public string Password { get; set; } = "";

    public bool HasCredentials => User.Length > 0 && Password.Length > 0;

    public IEnumerable<string> Problems(string listenAddress)
    {
        if ((User.Length > 0) != (Password.Length > 0))
        {
            yield return "Events:Dashboard:User and Events:Dashboard:Password must be set together.";
        }
        else if (!HasCredentials && IPAddress.TryParse(listenAddress, out var address) && !IPAddress.IsLoopback(address))
        {
            yield return $"The dashboard needs Events:Dashboard:User and Password when the Api listens on {listenAddress} (only loopback may go without).";
        }
    }
}

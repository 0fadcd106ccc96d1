namespace Events.Api.Security;

/// <summary>
/// Optional API keys for gRPC dispatch and the webhooks (<c>Events:Auth</c>). Keys are set per client id, several at
/// once so a client can rotate: <c>Events__Auth__Keys__mobile__0=...</c>, <c>Events__Auth__Keys__mobile__1=...</c>.
/// Sent as the <c>x-api-key</c> header (gRPC metadata). Set keys through the environment or a secret store; they are
/// never logged.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Events:Auth";
    public const string Header = "x-api-key";
    public const int MinimumKeyLength = 16;

    /// <summary>When false (the default, as the original) every request is accepted without a key.</summary>
    public bool Enabled { get; set; }

    /// <summary>Active keys by client id. Default none.</summary>
    public Dictionary<string, string[]> Keys { get; set; } = new(StringComparer.Ordinal);

    public IEnumerable<string> Problems()
    {
        if (Enabled && !Keys.Values.Any(keys => keys.Length > 0))
        {
            yield return $"{Section}:Enabled is true but {Section}:Keys has no key.";
        }
        foreach (var (client, keys) in Keys)
        {
            for (var i = 0; i < keys.Length; i++)
            {
                if (keys[i].Length < MinimumKeyLength)
                {
                    // Names the setting, never the value.
                    yield return $"{Section}:Keys:{client}:{i} is shorter than {MinimumKeyLength} characters.";
                }
            }
        }
    }
}

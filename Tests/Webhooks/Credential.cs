namespace Events.Tests.Webhooks;

/// <summary>How a test request authenticates: as the provider, with a wrong token or signature, or not at all.</summary>
public enum Credential
{
    Valid,
    Wrong,
    Missing,
}

namespace Events.Tests.Security;

/// <summary>The auth tests share one pipeline and run one after another: the rate limit is per client across them.</summary>
[CollectionDefinition(Name)]
public sealed class AuthCollection : ICollectionFixture<AuthFixture>
{
    public const string Name = "Security: API keys";
}

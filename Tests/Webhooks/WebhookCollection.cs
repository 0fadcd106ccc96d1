namespace Events.Tests.Webhooks;

/// <summary>The webhook tests share one pipeline (starting one takes a while); they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class WebhookCollection : ICollectionFixture<WebhookFixture>
{
    public const string Name = "webhooks";
}

using Events.Api.Webhooks;
using Microsoft.Extensions.Configuration;

namespace Events.Tests.Webhooks;

public sealed class WebhookOptionsTests
{
    [Fact]
    public void ProviderWithoutACredential_IsDisabled()
    {
        var options = Load(new() { ["Events:Webhooks:Shopify:Secret"] = "shopify-secret-0123456789", ["Events:Webhooks:branch:Token"] = "branch-token-0123456789" });

        Assert.Empty(options.Problems());
        Assert.Equal("shopify-secret-0123456789", options.CredentialFor(WebhookProviders.Shopify));
        Assert.Equal("branch-token-0123456789", options.CredentialFor(WebhookProviders.Branch));
        Assert.Null(options.CredentialFor(WebhookProviders.Vidooly));
        Assert.Equal(1024 * 1024, options.MaxBodyBytes);
    }

    [Fact]
    public void Problems_AreAllListed()
    {
        var options = Load(new()
        {
            ["Events:Webhooks:MaxBodyBytes"] = "10",
            ["Events:Webhooks:Shopify:Token"] = "shopify-token-0123456789",
            ["Events:Webhooks:Graphy:Token"] = "short",
            ["Events:Webhooks:Vidooly:Secret"] = "vidooly-secret-0123456789",
        });

        var problems = options.Problems().ToList();

        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.Contains("MaxBodyBytes 10"));
        Assert.Contains(problems, p => p.Contains("Events:Webhooks:shopify is authenticated with a Secret"));
        Assert.Contains(problems, p => p.Contains("Events:Webhooks:graphy:Token is shorter than 16"));
        Assert.Contains(problems, p => p.Contains("Events:Webhooks:vidooly is authenticated with a Token"));
        Assert.DoesNotContain(problems, p => p.Contains("0123456789"));
    }

    private static WebhookOptions Load(Dictionary<string, string?> settings) =>
        WebhookOptions.Load(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
}

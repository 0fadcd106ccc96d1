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

    [Fact]
    public void TokenProviderWithASigningSecret_UsesTimestampedSignatures()
    {
        var options = Load(new() { ["Events:Webhooks:WebEngage:SigningSecret"] = "webengage-signing-0123456789", ["Events:Webhooks:Branch:Token"] = "branch-token-0123456789" });

        Assert.Empty(options.Problems());
        Assert.Equal(WebhookAuth.TimestampedHmac, options.AuthFor(WebhookProviders.WebEngage));
        Assert.Equal("webengage-signing-0123456789", options.CredentialFor(WebhookProviders.WebEngage));
        Assert.Equal(WebhookAuth.SharedToken, options.AuthFor(WebhookProviders.Branch));
        Assert.Equal(TimeSpan.FromMinutes(5), options.SignatureTolerance);
    }

    [Fact]
    public void SigningSecretProblems_AreAllListed()
    {
        var options = Load(new()
        {
            ["Events:Webhooks:SignatureTolerance"] = "02:00:00",
            ["Events:Webhooks:Shopify:Secret"] = "shopify-secret-0123456789",
            ["Events:Webhooks:Shopify:SigningSecret"] = "shopify-signing-0123456789",
            ["Events:Webhooks:Branch:Token"] = "branch-token-0123456789",
            ["Events:Webhooks:Branch:SigningSecret"] = "branch-signing-0123456789",
            ["Events:Webhooks:Vidooly:SigningSecret"] = "short",
        });

        var problems = options.Problems().ToList();

        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.Contains("SignatureTolerance 02:00:00 must be between 00:00:10 and 01:00:00"));
        Assert.Contains(problems, p => p.Contains("Events:Webhooks:shopify:SigningSecret is not used"));
        Assert.Contains(problems, p => p.Contains("Events:Webhooks:branch has both a Token and a SigningSecret"));
        Assert.Contains(problems, p => p.Contains("Events:Webhooks:vidooly:SigningSecret is shorter than 16"));
        Assert.DoesNotContain(problems, p => p.Contains("0123456789"));
    }

    private static WebhookOptions Load(Dictionary<string, string?> settings) =>
        WebhookOptions.Load(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
}

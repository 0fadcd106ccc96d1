using System.Security.Cryptography;
using System.Text;
using Events.Api.Webhooks;

namespace Events.Tests.Webhooks;

public sealed class WebhookSignaturesTests
{
    private const string Secret = "hush-0123456789abcdef";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":820982911946154508,"email":"jon@example.com"}""");

    [Fact]
    public void ShopifyHmac_OfTheRawBody_Matches()
    {
        // Computed independently of the code under test: base64(HMAC-SHA256(secret, body)).
        var expected = Convert.ToBase64String(new HMACSHA256(Encoding.UTF8.GetBytes(Secret)).ComputeHash(Body));

        Assert.True(WebhookSignatures.ShopifyHmacMatches(Body, expected, Secret));
        Assert.Equal(expected, WebhookSignatures.ShopifyHmac(Body, Secret));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64 at all!")]
    [InlineData("c2hvcnQ=")] // valid base64, wrong length
    public void ShopifyHmac_MissingOrMalformed_DoesNotMatch(string? signature)
    {
        Assert.False(WebhookSignatures.ShopifyHmacMatches(Body, signature, Secret));
    }

    [Fact]
    public void ShopifyHmac_OfAnotherBodyOrSecret_DoesNotMatch()
    {
        var signature = WebhookSignatures.ShopifyHmac(Body, Secret);
        var tampered = Body.ToArray();
        tampered[^2] ^= 1;

        Assert.False(WebhookSignatures.ShopifyHmacMatches(tampered, signature, Secret));
        Assert.False(WebhookSignatures.ShopifyHmacMatches(Body, signature, Secret + "x"));
    }

    [Theory]
    [InlineData("token-0123456789abcdef", true)]
    [InlineData("token-0123456789abcdeF", false)]
    [InlineData("token-0123456789abcde", false)]
    [InlineData("token-0123456789abcdef ", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Token_MatchesOnlyExactly(string? provided, bool matches)
    {
        Assert.Equal(matches, WebhookSignatures.TokenMatches(provided, "token-0123456789abcdef"));
    }
}

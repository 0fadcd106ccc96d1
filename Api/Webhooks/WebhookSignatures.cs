using System.Security.Cryptography;
using System.Text;

namespace Events.Api.Webhooks;

/// <summary>Checks what providers sign, in constant time: a forged request learns nothing from how long the check took.</summary>
internal static class WebhookSignatures
{
    /// <summary>Shopify's <c>X-Shopify-Hmac-Sha256</c>: base64 of HMAC-SHA256 over the raw body, keyed with the app's secret.</summary>
    public static bool ShopifyHmacMatches(ReadOnlySpan<byte> body, string? signature, string secret)
    {
        if (string.IsNullOrWhiteSpace(signature) || secret.Length == 0)
        {
            return false;
        }
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, expected);
        Span<byte> given = stackalloc byte[64];
        return Convert.TryFromBase64String(signature.Trim(), given, out var length)
            && length == expected.Length
            && CryptographicOperations.FixedTimeEquals(expected, given[..length]);
    }

    /// <summary>The signature a Shopify request with this body carries (for tests and tools that replay webhooks).</summary>
    public static string ShopifyHmac(ReadOnlySpan<byte> body, string secret) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>A shared token. Both sides are hashed first, so neither the length nor a common prefix shows in the timing.</summary>
    public static bool TokenMatches(string? provided, string expected)
    {
        if (string.IsNullOrEmpty(provided) || expected.Length == 0)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(provided)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Events.Api.Webhooks;

/// <summary>
/// Timestamped signatures, for senders that can sign (<see cref="WebhookAuth.TimestampedHmac"/>):
/// <c>X-Webhook-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "&lt;t&gt;.&lt;raw body&gt;"&gt;</c>.
/// The time is inside what is signed, so an old request cannot be made fresh; several <c>v1</c> values are allowed
/// (a sender rotating its secret signs with both).
/// </summary>
internal static class TimestampedSignatures
{
    public const string Header = "X-Webhook-Signature";
    private const int MaxHeaderLength = 1024;

    /// <summary>
    /// True when <paramref name="header"/> carries a time and a <c>v1</c> that matches <paramref name="body"/>; then
    /// <paramref name="signedAt"/> is the signed time (unix seconds) and <paramref name="signature"/> the matching
    /// <c>v1</c> in lower-case hex (what a replay would repeat). Compared in constant time.
    /// </summary>
    public static bool TryVerify(ReadOnlySpan<byte> body, string? header, string secret, out long signedAt, out string signature)
    {
        signedAt = 0;
        signature = "";
        if (string.IsNullOrEmpty(header) || header.Length > MaxHeaderLength || secret.Length == 0 || !TryParse(header, out var time, out var candidates))
        {
            return false;
        }
        var expected = Hmac(body, secret, time);
        Span<byte> given = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var matched = false;
        foreach (var candidate in candidates)
        {
            if (candidate.Length == 2 * given.Length
                && Convert.FromHexString(candidate, given, out _, out var written) == System.Buffers.OperationStatus.Done
                && written == given.Length
                && CryptographicOperations.FixedTimeEquals(expected, given))
            {
                matched = true;
            }
        }
        if (!matched)
        {
            return false;
        }
        signedAt = time;
        signature = Convert.ToHexStringLower(expected);
        return true;
    }

    /// <summary>The header a sender puts on a request with this body at <paramref name="unixSeconds"/> (for senders, tools and tests).</summary>
    public static string Sign(ReadOnlySpan<byte> body, string secret, long unixSeconds) =>
        $"t={unixSeconds.ToString(CultureInfo.InvariantCulture)},v1={Convert.ToHexStringLower(Hmac(body, secret, unixSeconds))}";

    private static byte[] Hmac(ReadOnlySpan<byte> body, string secret, long unixSeconds)
    {
        var prefix = Encoding.ASCII.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(prefix);
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }

    // "t=1700000000,v1=ab12...,v1=cd34..."; other schemes (v0=...) are ignored, as senders may add them.
    private static bool TryParse(string header, out long time, out List<string> signatures)
    {
        time = 0;
        signatures = [];
        var hasTime = false;
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.StartsWith("t=", StringComparison.Ordinal))
            {
                var digits = part[2..];
                if (hasTime || digits.Length is 0 or > 12 || !digits.All(char.IsAsciiDigit))
                {
                    return false;
                }
                time = long.Parse(digits, CultureInfo.InvariantCulture);
                hasTime = true;
            }
            else if (part.StartsWith("v1=", StringComparison.Ordinal))
            {
                signatures.Add(part[3..]);
            }
        }
        return hasTime && signatures.Count > 0;
    }
}

namespace Events.Tests.Webhooks;

/// <summary>The unique values of one test event: its provider id, a marker to find its row by, and its time.</summary>
public sealed record Sample(string Id, string Marker, long TimestampMs, long Number)
{
    public static Sample New()
    {
        var guid = Guid.NewGuid();
        return new(
            "id-" + guid.ToString("N"),
            "m" + guid.ToString("N")[..20],
            DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds(),
            Random.Shared.NextInt64(1_000_000_000, long.MaxValue / 2));
    }

    /// <summary>The sample's time in ISO 8601 with a +0530 offset (no colon), as WebEngage writes it.</summary>
    public string IsoWithCompactOffset => DateTimeOffset.FromUnixTimeMilliseconds(TimestampMs).ToOffset(TimeSpan.FromMinutes(330))
        .ToString("yyyy-MM-dd'T'HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture) + "+0530";

    /// <summary>The sample's time in UTC with nine fractional digits, as Shopify writes X-Shopify-Triggered-At.</summary>
    public string IsoNanoseconds => DateTimeOffset.FromUnixTimeMilliseconds(TimestampMs).UtcDateTime
        .ToString("yyyy-MM-dd'T'HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture) + "123456Z";
}

using Events.Api.Webhooks;

namespace Events.Tests.Webhooks;

public sealed class WebhookTimestampsTests
{
    [Theory]
    [InlineData("2024-05-01T10:00:00Z", "2024-05-01T10:00:00Z")]
    [InlineData("2024-05-01T10:00:00.123+05:30", "2024-05-01T04:30:00.123Z")]
    [InlineData("2024-05-01T10:00:00-0800", "2024-05-01T18:00:00Z")]
    [InlineData("2024-03-29T18:00:27.877041743Z", "2024-03-29T18:00:27.877Z")]
    [InlineData("2024-05-01 10:00:00", "2024-05-01T10:00:00Z")]
    public void Iso8601_WithTheOffsetsProvidersWrite(string text, string utc)
    {
        Assert.True(WebhookTimestamps.TryRead(text, TimestampFormat.Iso8601, out var ms));
        Assert.Equal(DateTimeOffset.Parse(utc).ToUnixTimeMilliseconds(), ms);
    }

    [Theory]
    [InlineData("1700000000123", "EpochMilliseconds", 1_700_000_000_123)]
    [InlineData("1700000000", "EpochSeconds", 1_700_000_000_000)]
    [InlineData("1700000000.5", "EpochSeconds", 1_700_000_000_500)]
    public void Epoch_InTheDeclaredUnit(string text, string format, long expected)
    {
        Assert.True(WebhookTimestamps.TryRead(text, Enum.Parse<TimestampFormat>(format), out var ms));
        Assert.Equal(expected, ms);
    }

    [Theory]
    [InlineData("yesterday", "Iso8601")]
    [InlineData("1700000000123", "Iso8601")]
    [InlineData("1700000000", "EpochMilliseconds")] // seconds sent where ms are declared: 1970
    [InlineData("-5", "EpochMilliseconds")]
    [InlineData("", "EpochSeconds")]
    public void Unreadable_IsRefused(string text, string format)
    {
        Assert.False(WebhookTimestamps.TryRead(text, Enum.Parse<TimestampFormat>(format), out _));
    }
}

namespace Events.Api.Webhooks;

/// <summary>How a provider writes an event's time.</summary>
internal enum TimestampFormat
{
    /// <summary>A number (or digits in a string) of milliseconds since 1970 UTC.</summary>
    EpochMilliseconds,

    /// <summary>A number (or digits in a string) of seconds since 1970 UTC.</summary>
    EpochSeconds,

    /// <summary>ISO 8601 with an offset or Z (<c>2024-05-01T10:00:00+05:30</c>, <c>...-0800</c>); none means UTC.</summary>
    Iso8601,
}

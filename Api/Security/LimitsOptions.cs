namespace Events.Api.Security;

/// <summary>
/// What one gRPC request may contain (<c>Events:Limits</c>). Past a limit the whole batch is refused and nothing of it
/// is stored, with a message naming the event index. Validated at start-up.
/// </summary>
public sealed class LimitsOptions
{
    public const string Section = "Events:Limits";

    /// <summary>Events in one batch; more → INVALID_ARGUMENT (split the batch). Default 5,000, as one stream message holds.</summary>
    public int MaxEventsPerBatch { get; set; } = 5_000;

    /// <summary>Bytes of one gRPC message (gRPC's MaxReceiveMessageSize); more → RESOURCE_EXHAUSTED. Default 4 MiB.</summary>
    public int MaxRequestBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Characters of an event id and of the header's deviceId. Default 128.</summary>
    public int MaxIdLength { get; set; } = 128;

    /// <summary>Characters of any other string of the header or an event (currentURL, timestamp...). Default 2,048.</summary>
    public int MaxStringLength { get; set; } = 2_048;

    /// <summary>Encoded bytes of one event including its params, bounding every nested string. Default 64 KiB.</summary>
    public int MaxEventBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Events older than this are stored as sent (offline clients are legitimate) but flagged: an <c>error_event</c>
    /// row says so, the <c>events.api.old_events</c> metric counts them, a line per batch logs them. Default 30 days.
    /// </summary>
    public TimeSpan OldEventAge { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How far ahead of the server's clock an event's time may be without a flag. Every event ahead is stored with the
    /// server's time; only one further ahead than this gets an <c>error_event</c> row and counts in
    /// <c>events.api.future_events</c>, since device and webhook senders' clocks commonly run seconds ahead.
    /// 0 flags every correction. Default 1 minute; 0 to 1 day.
    /// </summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(1);

    public IEnumerable<string> Problems()
    {
        if (MaxEventsPerBatch is < 1 or > 100_000)
        {
            yield return $"{Section}:MaxEventsPerBatch {MaxEventsPerBatch} must be between 1 and 100000.";
        }
        if (MaxRequestBytes is < 1024 or > 64 * 1024 * 1024)
        {
            yield return $"{Section}:MaxRequestBytes {MaxRequestBytes} must be between 1024 and 67108864.";
        }
        if (MaxIdLength is < 16 or > 4096)
        {
            yield return $"{Section}:MaxIdLength {MaxIdLength} must be between 16 and 4096.";
        }
        if (MaxStringLength < MaxIdLength || MaxStringLength > 1024 * 1024)
        {
            yield return $"{Section}:MaxStringLength {MaxStringLength} must be between MaxIdLength and 1048576.";
        }
        if (MaxEventBytes < 256 || MaxEventBytes > MaxRequestBytes)
        {
            yield return $"{Section}:MaxEventBytes {MaxEventBytes} must be between 256 and MaxRequestBytes.";
        }
        if (OldEventAge <= TimeSpan.Zero)
        {
            yield return $"{Section}:OldEventAge must be positive.";
        }
        if (ClockSkew < TimeSpan.Zero || ClockSkew > TimeSpan.FromDays(1))
        {
            yield return $"{Section}:ClockSkew {ClockSkew} must be between 00:00:00 and 1.00:00:00 (0 flags every future timestamp).";
        }
    }
}

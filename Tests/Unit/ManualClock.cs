namespace Events.Tests.Unit;

/// <summary>A clock that moves only when a test moves it; its timestamps follow <see cref="Now"/>.</summary>
internal sealed class ManualClock : TimeProvider
{
    public DateTimeOffset Now { get; set; } = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Now;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Now.UtcTicks;

    public void Advance(TimeSpan by) => Now += by;
}

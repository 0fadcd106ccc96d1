using Events.Protos;

namespace Events.Tests.EndToEnd;

/// <summary>Builds wire batches for the end-to-end tests, with unique event ids.</summary>
internal static class TestBatches
{
    public static Header Header(string deviceId) => new()
    {
        SessionId = "session-" + deviceId,
        BbDeviceId = 4242,
        UserId = 77,
        DeviceId = deviceId,
        ClientId = "android-app",
        Channel = "play-store",
        Os = "android",
        ClientType = "mobile",
        AppLanguage = "en",
        AppVersion = "5.1.0",
        AppVersionCode = "510",
        CurrentURL = "app://home",
        UtmSource = "newsletter",
        PpId = "pp-1",
    };

    public static Event Launch(string id, long timestampMs) => new()
    {
        Id = id,
        Timestamp = timestampMs.ToString(),
        LaunchEvent = new LaunchEvent(),
    };

    public static Event PageOpened(string id, long timestampMs) => new()
    {
        Id = id,
        Timestamp = timestampMs.ToString(),
        CurrentURL = "app://page/" + id,
        PageOpenedEvent = new PageOpenedEvent(),
    };

    public static Event AddToCart(string id, long timestampMs) => new()
    {
        Id = id,
        Timestamp = timestampMs.ToString(),
        AddToCartEvent = new AddToCartEvent(),
    };

    public static Events.Protos.Events Batch(Header header, params Event[] events)
    {
        var batch = new Events.Protos.Events { Header = header };
        batch.Events_.AddRange(events);
        return batch;
    }
}

using Events.Protos;

namespace Events.Tests.ClientTables;

/// <summary>Wire events of the types that have tables of their own, every field set.</summary>
internal static class ClientEvents
{
    public static Event Click(string id, long timestampMs, int position) => new()
    {
        Id = id,
        Timestamp = timestampMs.ToString(),
        ClickEvent = new ClickEvent
        {
            ElementId = "buy-" + position, ElementType = "button", ElementText = "Buy now", PageName = "product",
            TargetUrl = "app://cart", Position = position,
        },
    };

    public static Event AppInit(string id, long timestampMs) => new()
    {
        Id = id,
        Timestamp = timestampMs.ToString(),
        AppInitEvent = new AppInitEvent
        {
            DeviceModel = "Pixel 9", Manufacturer = "Google", OsVersion = "15", ScreenResolution = "1080x2400",
            NetworkType = "wifi", InitTimeMs = 1234, IsRooted = true,
        },
    };

    public static Event LaunchRefer(string id, long timestampMs, string referrerId) => new()
    {
        Id = id,
        Timestamp = timestampMs.ToString(),
        LaunchReferEvent = new LaunchReferEvent
        {
            ReferrerId = referrerId, ReferralCode = "CODE-" + referrerId, Campaign = "diwali", Source = "whatsapp",
            DeepLink = "app://invite/" + referrerId,
        },
    };
}

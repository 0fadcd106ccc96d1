namespace Events.Grains;

/// <summary>The context a client sends once per batch; copied into every row.</summary>
[GenerateSerializer, Immutable, Alias("events.EventHeader")]
public sealed record EventHeader
{
    [Id(0)] public string SessionId { get; init; } = "";
    [Id(1)] public long BbDeviceId { get; init; }
    [Id(2)] public long UserId { get; init; }
    [Id(3)] public string DeviceId { get; init; } = "";
    [Id(4)] public string AndroidAdvertisingId { get; init; } = "";
    [Id(5)] public string ClientId { get; init; } = "";
    [Id(6)] public string Channel { get; init; } = "";
    [Id(7)] public string Os { get; init; } = "";
    [Id(8)] public string ClientType { get; init; } = "";
    [Id(9)] public string AppLanguage { get; init; } = "";
    [Id(10)] public string AppVersion { get; init; } = "";
    [Id(11)] public string AppVersionCode { get; init; } = "";
    [Id(12)] public string CurrentUrl { get; init; } = "";
    [Id(13)] public string MerchantId { get; init; } = "";
    [Id(14)] public string UtmReferrer { get; init; } = "";
    [Id(15)] public string UtmPlatform { get; init; } = "";
    [Id(16)] public string UtmSource { get; init; } = "";
    [Id(17)] public string UtmMedium { get; init; } = "";
    [Id(18)] public string UtmCampaign { get; init; } = "";
    [Id(19)] public string PpId { get; init; } = "";

    public static EventHeader Empty { get; } = new();
}

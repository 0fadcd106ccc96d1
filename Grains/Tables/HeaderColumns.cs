namespace Events.Grains.Tables;

/// <summary>The batch header as columns, shared by every table fed by client events.</summary>
public static class HeaderColumns
{
    public static IReadOnlyList<ColumnSpec> All { get; } =
    [
        new("session_id", "String", r => r.Header.SessionId),
        new("bb_device_id", "Int64", r => r.Header.BbDeviceId),
        new("user_id", "Int64", r => r.Header.UserId),
        new("device_id", "String", r => r.Header.DeviceId),
        new("android_advertising_id", "String", r => r.Header.AndroidAdvertisingId),
        new("client_id", "String", r => r.Header.ClientId),
        new("channel", "LowCardinality(String)", r => r.Header.Channel),
        new("os", "LowCardinality(String)", r => r.Header.Os),
        new("client_type", "LowCardinality(String)", r => r.Header.ClientType),
        new("app_language", "LowCardinality(String)", r => r.Header.AppLanguage),
        new("app_version", "LowCardinality(String)", r => r.Header.AppVersion),
        new("app_version_code", "String", r => r.Header.AppVersionCode),
        // The event's own URL wins over the batch's, as in the original.
        new("current_url", "String", r => r.Event.CurrentUrl.Length > 0 ? r.Event.CurrentUrl : r.Header.CurrentUrl),
        new("merchant_id", "String", r => r.Header.MerchantId),
        new("utm_referrer", "String", r => r.Header.UtmReferrer),
        new("utm_platform", "String", r => r.Header.UtmPlatform),
        new("utm_source", "String", r => r.Header.UtmSource),
        new("utm_medium", "String", r => r.Header.UtmMedium),
        new("utm_campaign", "String", r => r.Header.UtmCampaign),
        new("pp_id", "String", r => r.Header.PpId),
    ];
}

using System.Globalization;
using System.Text.Json;
using Events.Bench.Load;
using Events.Protos;

namespace Events.Bench.References;

/// <summary>
/// The rows the cluster would store for the benchmark's batches, column by column as in the event table, so the
/// references write the same data. Columns of the table the benchmark does not know keep their defaults.
/// </summary>
internal sealed class EventRows
{
    private static readonly Dictionary<string, Func<Header, Event, EventKind, DateTime, object>> Known = new(StringComparer.Ordinal)
    {
        ["event_id"] = (_, e, _, _) => e.Id,
        ["event_name"] = (_, _, k, _) => k.Name,
        ["event_timestamp"] = (_, e, _, _) => DateTime.UnixEpoch.AddMilliseconds(long.Parse(e.Timestamp, CultureInfo.InvariantCulture)),
        ["insert_timestamp"] = (_, _, _, now) => now,
        ["session_id"] = (h, _, _, _) => h.SessionId,
        ["bb_device_id"] = (h, _, _, _) => h.BbDeviceId,
        ["user_id"] = (h, _, _, _) => h.UserId,
        ["device_id"] = (h, _, _, _) => h.DeviceId,
        ["android_advertising_id"] = (h, _, _, _) => h.AndroidAdvertisingId,
        ["client_id"] = (h, _, _, _) => h.ClientId,
        ["channel"] = (h, _, _, _) => h.Channel,
        ["os"] = (h, _, _, _) => h.Os,
        ["client_type"] = (h, _, _, _) => h.ClientType,
        ["app_language"] = (h, _, _, _) => h.AppLanguage,
        ["app_version"] = (h, _, _, _) => h.AppVersion,
        ["app_version_code"] = (h, _, _, _) => h.AppVersionCode,
        ["current_url"] = (h, e, _, _) => e.CurrentURL.Length > 0 ? e.CurrentURL : h.CurrentURL,
        ["merchant_id"] = (h, _, _, _) => h.MerchantId,
        ["utm_referrer"] = (h, _, _, _) => h.UtmReferrer,
        ["utm_platform"] = (h, _, _, _) => h.UtmPlatform,
        ["utm_source"] = (h, _, _, _) => h.UtmSource,
        ["utm_medium"] = (h, _, _, _) => h.UtmMedium,
        ["utm_campaign"] = (h, _, _, _) => h.UtmCampaign,
        ["pp_id"] = (h, _, _, _) => h.PpId,
        ["event_params"] = (_, _, k, _) => k.ParamsJson,
    };

    private readonly Dictionary<int, EventKind> _kinds;

    public EventRows(IReadOnlyList<EventKind> kinds, IReadOnlyList<string> tableColumns)
    {
        _kinds = kinds.ToDictionary(k => k.Field.FieldNumber);
        Columns = tableColumns.Where(Known.ContainsKey).ToList();
        Defaulted = tableColumns.Where(c => !Known.ContainsKey(c)).ToList();
    }

    /// <summary>The columns written, in table order.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Columns of the table left to their defaults (new columns the benchmark does not fill yet).</summary>
    public IReadOnlyList<string> Defaulted { get; }

    public IEnumerable<object[]> Rows(DispatchBatch batch)
    {
        var now = DateTime.UtcNow;
        var header = batch.Message.Header;
        foreach (var evt in batch.Message.Events_)
        {
            var kind = _kinds[(int)evt.EventOfCase];
            yield return Columns.Select(c => Known[c](header, evt, kind, now)).ToArray();
        }
    }

    /// <summary>The rows as JSONEachRow, the format a client posting to ClickHouse over HTTP would use.</summary>
    public byte[] JsonEachRow(DispatchBatch batch)
    {
        using var buffer = new MemoryStream();
        foreach (var row in Rows(batch))
        {
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                for (var i = 0; i < Columns.Count; i++)
                {
                    switch (row[i])
                    {
                        case string s: writer.WriteString(Columns[i], s); break;
                        case long n: writer.WriteNumber(Columns[i], n); break;
                        case DateTime t: writer.WriteString(Columns[i], t.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)); break;
                    }
                }
                writer.WriteEndObject();
            }
            buffer.WriteByte((byte)'\n');
        }
        return buffer.ToArray();
    }
}

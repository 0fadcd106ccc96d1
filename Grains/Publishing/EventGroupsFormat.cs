using System.Text;

namespace Events.Grains.Publishing;

/// <summary>
/// The compact form of a stream message's groups: counts, numbers (7-bit varints) and strings (UTF-8, length-prefixed)
/// in field order. A header shared by groups (those of one client call) is written once, and an event's type name only
/// when it is not its group's. The Orleans serializer, used before (<see cref="SinkBatch.EncodedFormat"/> 0), tracks
/// every string it writes so it can write a repeated one as a reference; for a message of hundreds of events that table
/// outgrew 85 KB, and dead tables that size kept the strings they pointed to alive through young collections
/// (BENCHMARKS.md).
/// A field added to <see cref="EventGroup"/>, <see cref="EventHeader"/> or <see cref="IngestedEvent"/> needs a
/// new version here (<c>EventGroupsFormatTests</c> fails until it has one).
/// </summary>
public static class EventGroupsFormat
{
    public const byte Version = 1;

    // One buffer per thread, emptied for each message: a message's groups are written in one go.
    [ThreadStatic] private static MemoryStream? t_buffer;

    public static byte[] Write(IReadOnlyList<EventGroup> groups)
    {
        var buffer = t_buffer ??= new MemoryStream(64 * 1024);
        buffer.SetLength(0);
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            var headers = new Dictionary<EventHeader, int>(ReferenceEqualityComparer.Instance);
            writer.Write7BitEncodedInt(groups.Count);
            foreach (var group in groups) Write(writer, group, headers);
        }
        var bytes = buffer.ToArray();
        if (buffer.Capacity > 4 * 1024 * 1024) t_buffer = null; // an unusually large message does not keep its buffer
        return bytes;
    }

    public static EventGroup[] Read(byte[] bytes)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
        var groups = new EventGroup[ReadCount(reader)];
        var headers = new List<EventHeader>();
        for (var i = 0; i < groups.Length; i++) groups[i] = ReadGroup(reader, headers);
        return groups;
    }

    private static void Write(BinaryWriter writer, EventGroup group, Dictionary<EventHeader, int> headers)
    {
        writer.Write(group.Source ?? "");
        writer.Write(group.EventName ?? "");
        writer.Write7BitEncodedInt64(group.ReceivedAtUtc.Ticks);
        // The header's number among those written so far, or the count of them and then the header: a new one.
        if (headers.TryGetValue(group.Header, out var known))
        {
            writer.Write7BitEncodedInt(known);
        }
        else
        {
            writer.Write7BitEncodedInt(headers.Count);
            headers.Add(group.Header, headers.Count);
            Write(writer, group.Header);
        }
        writer.Write(group.StoredIn is not null);
        if (group.StoredIn is not null)
        {
            writer.Write7BitEncodedInt(group.StoredIn.Count);
            foreach (var table in group.StoredIn) writer.Write(table ?? "");
        }
        writer.Write7BitEncodedInt(group.Events.Count);
        foreach (var evt in group.Events)
        {
            writer.Write(evt.Id ?? "");
            var ownName = evt.Name != group.EventName;
            writer.Write(ownName);
            if (ownName) writer.Write(evt.Name ?? "");
            writer.Write7BitEncodedInt64(evt.TimestampMs);
            writer.Write(evt.CurrentUrl ?? "");
            writer.Write(evt.ParamsJson ?? "");
            writer.Write(evt.Flag is not null);
            if (evt.Flag is not null) writer.Write(evt.Flag);
        }
    }

    private static EventGroup ReadGroup(BinaryReader reader, List<EventHeader> headers)
    {
        var source = reader.ReadString();
        var eventName = reader.ReadString();
        var receivedAtUtc = new DateTime(reader.Read7BitEncodedInt64(), DateTimeKind.Utc);
        var headerNumber = reader.Read7BitEncodedInt();
        if (headerNumber == headers.Count) headers.Add(ReadHeader(reader));
        var header = headerNumber < headers.Count
            ? headers[headerNumber]
            : throw new InvalidDataException($"header {headerNumber} of {headers.Count}");
        var storedIn = reader.ReadBoolean() ? Enumerable.Range(0, ReadCount(reader)).Select(_ => reader.ReadString()).ToList() : null;
        var events = new List<IngestedEvent>(ReadCount(reader));
        for (var i = events.Capacity; i > 0; i--)
        {
            events.Add(new IngestedEvent
            {
                Id = reader.ReadString(),
                Name = reader.ReadBoolean() ? reader.ReadString() : eventName,
                TimestampMs = reader.Read7BitEncodedInt64(),
                CurrentUrl = reader.ReadString(),
                ParamsJson = reader.ReadString(),
                Flag = reader.ReadBoolean() ? reader.ReadString() : null,
            });
        }
        return new EventGroup
        {
            Source = source, EventName = eventName, ReceivedAtUtc = receivedAtUtc, Header = header, StoredIn = storedIn, Events = events,
        };
    }

    /// <summary>
    /// A count, checked against the bytes left (each item takes at least one), so that damaged bytes fail the read
    /// instead of asking for gigabytes.
    /// </summary>
    private static int ReadCount(BinaryReader reader)
    {
        var count = reader.Read7BitEncodedInt();
        var left = reader.BaseStream.Length - reader.BaseStream.Position;
        return count >= 0 && count <= left ? count : throw new InvalidDataException($"a count of {count} with {left} bytes left");
    }

    private static void Write(BinaryWriter writer, EventHeader h)
    {
        writer.Write(h.SessionId ?? "");
        writer.Write7BitEncodedInt64(h.BbDeviceId);
        writer.Write7BitEncodedInt64(h.UserId);
        foreach (var value in (ReadOnlySpan<string>)[h.DeviceId, h.AndroidAdvertisingId, h.ClientId, h.Channel, h.Os, h.ClientType,
            h.AppLanguage, h.AppVersion, h.AppVersionCode, h.CurrentUrl, h.MerchantId, h.UtmReferrer, h.UtmPlatform, h.UtmSource,
            h.UtmMedium, h.UtmCampaign, h.PpId])
        {
            writer.Write(value ?? ""); // a string the types declare non-null, so never null but for a bug: not worth failing a publish
        }
    }

    private static EventHeader ReadHeader(BinaryReader r) => new()
    {
        SessionId = r.ReadString(),
        BbDeviceId = r.Read7BitEncodedInt64(),
        UserId = r.Read7BitEncodedInt64(),
        DeviceId = r.ReadString(),
        AndroidAdvertisingId = r.ReadString(),
        ClientId = r.ReadString(),
        Channel = r.ReadString(),
        Os = r.ReadString(),
        ClientType = r.ReadString(),
        AppLanguage = r.ReadString(),
        AppVersion = r.ReadString(),
        AppVersionCode = r.ReadString(),
        CurrentUrl = r.ReadString(),
        MerchantId = r.ReadString(),
        UtmReferrer = r.ReadString(),
        UtmPlatform = r.ReadString(),
        UtmSource = r.ReadString(),
        UtmMedium = r.ReadString(),
        UtmCampaign = r.ReadString(),
        PpId = r.ReadString(),
    };
}

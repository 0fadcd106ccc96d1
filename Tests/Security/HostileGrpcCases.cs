using Events.Protos;
using Google.Protobuf;
using static Events.Tests.EndToEnd.TestBatches;

namespace Events.Tests.Security;

/// <summary>Generates bad gRPC dispatch requests from a seeded RNG: random bytes, cut-off frames and mutated valid batches.</summary>
internal sealed class HostileGrpcCases(RawGrpc grpc, Random rng, string device)
{
    public const int Ok = 0, InvalidArgument = 3, ResourceExhausted = 8, Internal = 13;
    private static int _ids;

    public HostileCase Next() => rng.Next(16) switch
    {
        0 => RandomBytes(),
        1 => Truncated(),
        2 => WrongLengthPrefix(),
        3 => Mutated("empty id", InvalidArgument, b => b.Events_[0].Id = ""),
        4 => Mutated("id over 128 characters", InvalidArgument, b => b.Events_[^1].Id = new string('i', 129 + rng.Next(1000))),
        5 => Mutated("timestamp not epoch ms", InvalidArgument, b => b.Events_[0].Timestamp = Pick("", "abc", "-1", "1e9", "NaN", " 1", "1.5", "99999999999999999999")),
        6 => Mutated("no header", InvalidArgument, b => b.Header = null),
        7 => Mutated("string over 2048 characters", InvalidArgument, LongString),
        8 => Mutated("event over 64 KiB", InvalidArgument, b => b.Events_[0].AddToCartEvent = new AddToCartEvent { ProductName = new string('p', 70_000) }),
        9 => InvalidUtf8(),
        10 => UnknownOneof(),
        11 => Mutated("event with no type", Ok, b => b.Events_.Add(new Event { Id = NewId(), Timestamp = Now().ToString() }), unknown: 1),
        12 => Mutated("timestamps year 9999 and 1970", Ok, b => { b.Events_[0].Timestamp = "253402300799000"; b.Events_[^1].Timestamp = "1"; }),
        13 => Mutated("empty batch", Ok, b => b.Events_.Clear()),
        14 => rng.Next(20) == 0 ? TooManyBytes() : Mutated("5001 events", InvalidArgument, b => b.Events_.AddRange(Enumerable.Range(0, 5001).Select(_ => Launch(NewId(), Now())))),
        _ => CompressedWithoutEncoding(),
    };

    public Events.Protos.Events Valid(string deviceId, int count = 3) =>
        Batch(Header(deviceId), Enumerable.Range(0, count).Select(_ => Launch(NewId(), Now() - rng.Next(100_000))).ToArray());

    private HostileCase RandomBytes()
    {
        var payload = new byte[1 + rng.Next(2000)];
        rng.NextBytes(payload);
        // Random bytes may by chance decode into a batch: then the validator refuses it (no header), or it is valid.
        return Call("random bytes", RawGrpc.Frame(payload), Ok, InvalidArgument);
    }

    private HostileCase Truncated()
    {
        var bytes = Valid("trunc-" + device, 1 + rng.Next(5)).ToByteArray();
        var cut = bytes.AsSpan(0, 1 + rng.Next(bytes.Length - 1));
        // A cut on a field boundary may leave a valid, shorter batch (stored under another device).
        return Call("truncated message", RawGrpc.Frame(cut), Ok, InvalidArgument);
    }

    private HostileCase WrongLengthPrefix()
    {
        var bytes = Valid(device).ToByteArray();
        var declared = bytes.Length + 1 + rng.Next(1000);
        return Call("length prefix longer than the message", RawGrpc.Frame(bytes, declared), Internal);
    }

    private HostileCase CompressedWithoutEncoding() =>
        Call("compressed flag without grpc-encoding", RawGrpc.Frame(Valid(device).ToByteArray(), compressed: 1), Internal);

    private HostileCase InvalidUtf8()
    {
        var batch = Valid(device).ToByteArray();
        // events[n].id = FF FE, or header.sessionId = FF FE: appended fields merge into the batch.
        byte[] tail = rng.Next(2) == 0 ? [0x2a, 0x04, 0x22, 0x02, 0xff, 0xfe] : [0x22, 0x04, 0x2a, 0x02, 0xff, 0xfe];
        return Call("invalid UTF-8 in a string", RawGrpc.Frame([.. batch, .. tail]), InvalidArgument);
    }

    private HostileCase UnknownOneof()
    {
        // An event of a newer client: id, timestamp and a oneof number this build does not know.
        var known = new Event { Id = NewId(), Timestamp = Now().ToString() }.ToByteArray();
        var inner = new byte[1 + rng.Next(40)];
        rng.NextBytes(inner);
        var unknown = Concat(Varint(((ulong)(1000 + rng.Next(10_000)) << 3) | 2), Varint((ulong)inner.Length), inner);
        var evt = Concat(known, unknown);
        var field = Concat([0x2a], Varint((ulong)evt.Length), evt);
        return Call("unknown oneof number", RawGrpc.Frame(Concat(Valid(device).ToByteArray(), field)), [Ok], unknown: 1);
    }

    private HostileCase TooManyBytes()
    {
        var batch = Valid(device);
        for (var i = 0; i < 70; i++)
        {
            batch.Events_.Add(new Event { Id = NewId(), Timestamp = Now().ToString(), AddToCartEvent = new AddToCartEvent { ProductName = new string('b', 60_000) } });
        }
        return Call("message over 4 MiB", RawGrpc.Frame(batch.ToByteArray()), ResourceExhausted);
    }

    private void LongString(Events.Protos.Events batch)
    {
        var text = new string('s', 2049 + rng.Next(5000));
        if (rng.Next(2) == 0)
        {
            batch.Events_[0].CurrentURL = text;
        }
        else
        {
            batch.Header.UtmCampaign = text;
        }
    }

    private HostileCase Mutated(string name, int expected, Action<Events.Protos.Events> mutate, int unknown = 0)
    {
        var batch = Valid(device);
        mutate(batch);
        return Call(name, RawGrpc.Frame(batch.ToByteArray()), [expected], unknown);
    }

    private HostileCase Call(string name, byte[] body, params int[] allowed) => Call(name, body, allowed, 0);

    private HostileCase Call(string name, byte[] body, int[] allowed, int unknown) =>
        new(name, "grpc", allowed, () => grpc.CallAsync(body), unknown);

    private string Pick(params string[] values) => values[rng.Next(values.Length)];

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private string NewId() => $"{device}-{Interlocked.Increment(ref _ids)}";

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    private static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }
        bytes.Add((byte)value);
        return bytes.ToArray();
    }
}

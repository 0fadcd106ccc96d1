using System.Text;
using System.Text.Json;
using Events.Grains;
using Events.Grains.Sinks;
using Events.Grains.Tables;
using Events.Silo.BrokerInputs;
using Events.Silo.DeadLetters;
using Events.Streaming.RabbitMQ;
using Events.Tests.Unit;
using RabbitMQ.Client;

namespace Events.Tests.BrokerInputs;

/// <summary>How the replay queue reads a letter of refused events: to the table that refused it, or refused with why.</summary>
public sealed class DeadLetterReplayDecoderTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private static readonly DeadLetterReplayDecoder Decoder = new(new TableCatalog(AllTables.List), new ManualClock { Now = Now });

    [Fact]
    public void ALetterAsTheSinkWroteIt_GoesToTheTableThatRefusedIt_WithItsGroupAsItCame()
    {
        var received = new DateTime(2026, 12, 6, 8, 0, 0, DateTimeKind.Utc);
        var group = Group("shopify", "evt-1") with { ReceivedAtUtc = received };

        var result = Decode(JsonSerializer.SerializeToUtf8Bytes(new DeadLetter("shopify_event", "refused", 3, group), Web));

        Assert.Null(result.Refusal);
        Assert.Equal("shopify_event", result.StreamKey);
        var batch = Assert.IsType<SinkBatch>(Assert.Single(result.Events));
        Assert.Equal("shopify_event", batch.Table);
        var replayed = Assert.Single(batch.Groups!);
        Assert.Equal("shopify", replayed.Source);
        Assert.Equal(received, replayed.ReceivedAtUtc);
        Assert.Equal(["evt-1"], replayed.Events.Select(e => e.Id));
    }

    [Fact]
    public void ALetterWithoutATime_IsStoredAsReceivedNow()
    {
        var result = Decode(JsonSerializer.SerializeToUtf8Bytes(new DeadLetter("event", "refused", 3, Group("grpc", "evt-1")), Web));

        Assert.Equal(Now.UtcDateTime, Assert.IsType<SinkBatch>(Assert.Single(result.Events)).Groups![0].ReceivedAtUtc);
    }

    [Theory]
    [InlineData("""{"table":"no_such_table","reason":"r","attempts":1,"group":{"source":"grpc","eventName":"E","header":{},"events":[{"id":"a","name":"E","timestampMs":1}]}}""", "there is no table 'no_such_table'")]
    [InlineData("""{"table":"event","reason":"r","attempts":1,"group":{"source":"grpc","eventName":"E","header":{},"events":[]}}""", "the letter holds no events")]
    [InlineData("""{"table":"event","reason":"r","attempts":1,"group":{"source":"grpc","eventName":"E","header":{},"events":[{"id":"a","name":"E","timestampMs":1},{"id":"","name":"E","timestampMs":1}]}}""", "event 1 of the letter has no id")]
    [InlineData("""{"table":"event","reason":"r","attempts":1}""", "the letter cannot be read")]
    [InlineData("""{"table":"event","reason":"r","attempts":1,"group":{"source":null,"eventName":"E","header":{},"events":[]}}""", "the letter cannot be read")]
    [InlineData("not json", "the letter cannot be read")]
    [InlineData("null", "the letter is empty")]
    public void ALetterTheSilosCannotStore_IsRefusedWithWhy(string body, string reason)
    {
        var result = Decode(Encoding.UTF8.GetBytes(body));

        Assert.Empty(result.Events);
        Assert.StartsWith(reason, result.Refusal);
    }

    [Fact]
    public void AMessageOfAnotherKind_IsRefusedNamingItsContentType()
    {
        var result = Decode("[]"u8.ToArray(), "application/json");

        Assert.Contains("content type 'application/json'", result.Refusal);
    }

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static EventGroup Group(string source, string id) => new()
    {
        Source = source,
        EventName = "E",
        Header = EventHeader.Empty,
        Events = [new IngestedEvent { Id = id, Name = "E", TimestampMs = 1 }],
    };

    private static RabbitMqDecodeResult Decode(byte[] body, string contentType = RabbitMqDeadLetterSink.ContentType) => Decoder.Decode(
        new RabbitMqInputMessage(new RabbitMqInputOptions { Queue = "p.replay" }, "", "p.replay", body,
            new BasicProperties { ContentType = contentType }, Redelivered: false));
}

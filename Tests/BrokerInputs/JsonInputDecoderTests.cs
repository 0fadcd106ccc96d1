using System.Text;
using Events.Grains;
using Events.Grains.Inputs;
using Events.Silo.BrokerInputs;
using Events.Streaming.RabbitMQ;
using Microsoft.Extensions.Options;
using Events.Tests.Unit;
using RabbitMQ.Client;

namespace Events.Tests.BrokerInputs;

public sealed class JsonInputDecoderTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly JsonInputDecoder Decoder = new(Options.Create(new BrokerInputsOptions
    {
        Inputs = [new JsonInputOptions { Queue = "create_user_account_q", StreamKey = "user_account", IdField = "user_id" }],
    }), new ManualClock { Now = Now });

    private static RabbitMqDecodeResult Decode(string queue, string table, string body) => Decoder.Decode(new RabbitMqInputMessage(
        new RabbitMqInputOptions { Queue = queue, StreamKey = table }, "identity.dx", "create_user_account",
        Encoding.UTF8.GetBytes(body), new BasicProperties(), Redelivered: false));

    [Fact]
    public void AMessage_BecomesASinkBatchForItsInput_ReadWithThatInputsFields()
    {
        var result = Decode("create_user_account_q", "user_account", """{"user_id":7,"name":"A"}""");

        Assert.Null(result.Refusal);
        var batch = Assert.IsType<SinkBatch>(Assert.Single(result.Events));
        Assert.Equal("user_account", batch.Table);
        var evt = batch.Groups!.Single().Events.Single();
        Assert.Equal("7", evt.Id);
        Assert.Equal(Now.ToUnixTimeMilliseconds(), evt.TimestampMs);
        Assert.Equal(Now.UtcDateTime, batch.Groups![0].ReceivedAtUtc);
    }

    [Fact]
    public void ARefusedMessage_CarriesTheReason()
    {
        Assert.Equal("missing required field 'user_id'", Decode("create_user_account_q", "user_account", """{"name":"A"}""").Refusal);
    }

    [Fact]
    public void TheBatchesOfOneDelivery_AreFoldedIntoOne_InOrder()
    {
        var events = new[] { "a", "b", "c" }
            .Select(name => Decode("elsewhere_q", "trace_log", $$"""{"name":"{{name}}"}""").Events.Single()).ToList();

        var folded = Assert.IsType<SinkBatch>(Assert.Single(Decoder.Combine(events)));

        Assert.Equal("trace_log", folded.Table);
        Assert.Equal(["a", "b", "c"], folded.Groups!.SelectMany(g => g.Events).Select(e => e.ParamsJson[9..10]));
    }
}

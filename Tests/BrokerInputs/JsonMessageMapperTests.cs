using System.Text;
using Events.Grains;
using Events.Grains.Inputs;

namespace Events.Tests.BrokerInputs;

public sealed class JsonMessageMapperTests
{
    private static readonly DateTime Received = new(2025, 6, 2, 0, 0, 0, DateTimeKind.Utc);
    private static readonly long ReceivedMs = new DateTimeOffset(Received).ToUnixTimeMilliseconds();

    private static JsonInputOptions Input(string idField = "", string timestampField = "", string eventNameField = "", params string[] required) =>
        new() { StreamKey = "trace_log", IdField = idField, TimestampField = timestampField, EventNameField = eventNameField, RequiredFields = [.. required] };

    private static SinkBatch Map(string json, JsonInputOptions? input = null, string routingKey = "trace_log")
    {
        Assert.True(JsonMessageMapper.TryMap(Encoding.UTF8.GetBytes(json), input ?? Input(), "identity.dx", routingKey, Received,
            out var batch, out var refusal), refusal);
        return batch;
    }

    private static string Refusal(string json, JsonInputOptions? input = null)
    {
        Assert.False(JsonMessageMapper.TryMap(Encoding.UTF8.GetBytes(json), input ?? Input(), "identity.dx", "trace_log", Received, out _, out var refusal));
        return refusal;
    }

    [Fact]
    public void AnObject_IsOneEventOfTheInputsTable_NamedForTheRoutingKey_WithItsJsonAsParams()
    {
        var batch = Map("""{"serviceName":"identity","timeTaken":12}""");

        Assert.Equal("trace_log", batch.Table);
        var group = Assert.Single(batch.Groups!);
        Assert.Equal("identity.dx", group.Source);
        Assert.Equal("trace_log", group.EventName);
        Assert.Equal(Received, group.ReceivedAtUtc);
        var evt = Assert.Single(group.Events);
        Assert.Equal("""{"serviceName":"identity","timeTaken":12}""", evt.ParamsJson);
        Assert.Equal(ReceivedMs, evt.TimestampMs);
        Assert.Equal(32, evt.Id.Length);
    }

    [Fact]
    public void AnArray_IsOneEventPerObject_GroupedByTheConfiguredNameField()
    {
        var batch = Map("""[{"type":"like","n":1},{"type":"share","n":2},{"type":"like","n":3},{"n":4}]""", Input(eventNameField: "type"), "post_activity_log_events");

        Assert.Equal(["like", "post_activity_log_events", "share"], batch.Groups!.Select(g => g.EventName).Order());
        Assert.Equal(2, batch.Groups!.Single(g => g.EventName == "like").Events.Count);
        Assert.Equal(4, batch.EventCount);
    }

    [Fact]
    public void TheId_IsTheConfiguredField_ElseAHashOfTheObjectThatIgnoresSpacing()
    {
        Assert.Equal("4242", Map("""{"user_id":4242}""", Input(idField: "user_id")).Groups![0].Events[0].Id);
        Assert.Equal("abc", Map("""{"user":{"id":"abc"}}""", Input(idField: "user.id")).Groups![0].Events[0].Id);

        var compact = Map("""{"a":1,"b":"x"}""").Groups![0].Events[0].Id;
        Assert.Equal(compact, Map("{ \"a\" : 1,\n  \"b\" : \"x\" }").Groups![0].Events[0].Id);
        Assert.NotEqual(compact, Map("""{"a":2,"b":"x"}""").Groups![0].Events[0].Id);
        Assert.Equal(compact, Map("""[{"a":1,"b":"x"}]""").Groups![0].Events[0].Id);
    }

    [Theory]
    [InlineData("1748779200", 1748779200000)]              // epoch seconds
    [InlineData("1748779200.25", 1748779200250)]           // with a fraction
    [InlineData("1748779200123", 1748779200123)]           // epoch milliseconds
    [InlineData("1748779200123456", 1748779200123)]        // microseconds
    [InlineData("\"1748779200123\"", 1748779200123)]       // a number in a string
    [InlineData("\"2025-06-01T12:00:00.5Z\"", 1748779200500)]
    [InlineData("\"2025-06-01T17:30:00+05:30\"", 1748779200000)]
    [InlineData("\"2025-06-01 12:00:00\"", 1748779200000)] // no zone: UTC
    public void TheTime_IsReadFromTheConfiguredField(string value, long expectedMs)
    {
        var evt = Map($$"""{"ts":{{value}}}""", Input(timestampField: "ts")).Groups![0].Events[0];

        Assert.Equal(expectedMs, evt.TimestampMs);
    }

    [Theory]
    [InlineData("""{"other":1}""")]
    [InlineData("""{"ts":null}""")]
    [InlineData("""{"ts":0}""")]
    [InlineData("""{"ts":""}""")]
    [InlineData("""{"ts":4102444800}""")] // 2100: a clock ahead of ours
    public void AnAbsentUnknownOrFutureTime_IsTheTimeTheMessageWasRead(string json)
    {
        Assert.Equal(ReceivedMs, Map(json, Input(timestampField: "ts")).Groups![0].Events[0].TimestampMs);
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("", "an empty message, not JSON")]
    [InlineData("{\"a\":", "not JSON")]
    [InlineData("42", "a JSON number, not an object or an array of objects")]
    [InlineData("\"text\"", "a JSON string, not an object or an array of objects")]
    [InlineData("[]", "an empty JSON array: no events")]
    [InlineData("""[{"a":1},7]""", "element 1 is a JSON number, not an object")]
    public void AMessageThatIsNotJsonObjects_IsRefusedWithTheReason(string body, string reason)
    {
        Assert.StartsWith(reason, Refusal(body));
    }

    [Fact]
    public void AMessageMissingARequiredField_OrWithAnUnreadableIdOrTime_IsRefusedWhole()
    {
        Assert.Equal("missing required field 'user_id'", Refusal("""{"name":"x"}""", Input(idField: "user_id")));
        Assert.Equal("missing required field 'user_id'", Refusal("""{"user_id":null}""", Input(idField: "user_id")));
        Assert.Equal("element 1: missing required field 'host'", Refusal("""[{"host":"a"},{"x":1}]""", Input(required: "host")));
        Assert.Equal("field 'user_id' is not an id (a non-empty string or a number)", Refusal("""{"user_id":""}""", Input(idField: "user_id")));
        Assert.Equal("field 'user_id' is not an id (a non-empty string or a number)", Refusal("""{"user_id":{"a":1}}""", Input(idField: "user_id")));
        Assert.Equal("field 'ts' (\"yesterday\") is not epoch seconds, milliseconds or ISO-8601",
            Refusal("""{"ts":"yesterday"}""", Input(timestampField: "ts")));
        Assert.Equal("field 'ts' (-5) is not epoch seconds, milliseconds or ISO-8601", Refusal("""{"ts":-5}""", Input(timestampField: "ts")));
        Assert.Equal("field 'ts' (true) is not epoch seconds, milliseconds or ISO-8601", Refusal("""{"ts":true}""", Input(timestampField: "ts")));
    }
}

using System.Text.Json;
using Events.Api.Webhooks;

namespace Events.Tests.Webhooks;

public sealed class EventIdsTests
{
    [Fact]
    public void SameContent_ReSerialised_GetsTheSameId()
    {
        var a = Id("""{"userId":"u1","eventName":"Viewed","eventData":{"b":2,"a":[1,"x\u00e9"]}}""");
        var b = Id("""
            { "eventData": { "a": [ 1, "xé" ], "b": 2 },
              "eventName": "Viewed", "userId": "u1" }
            """);

        Assert.Equal(a, b);
        Assert.Matches("^hash:[0-9a-f]{32}$", a);
    }

    [Theory]
    [InlineData("""{"userId":"u2","eventName":"Viewed"}""")]
    [InlineData("""{"userId":"u1","eventName":"Viewed","n":1}""")]
    [InlineData("""{"userId":"u1","eventName":"Viewed","n":1.0}""")]
    [InlineData("""{"userId":"u1","eventName":["Viewed"]}""")]
    public void DifferentContent_GetsAnotherId(string other)
    {
        Assert.NotEqual(Id("""{"userId":"u1","eventName":"Viewed"}"""), Id(other));
    }

    private static string Id(string json)
    {
        using var document = JsonDocument.Parse(json);
        return EventIds.FromContent(document.RootElement);
    }
}

using Events.Api.Dispatch;
using Events.Protos;
using static Events.Tests.EndToEnd.TestBatches;

namespace Events.Tests.Unit;

public sealed class DispatchValidatorTests
{
    [Fact]
    public void Validate_CompleteBatch_IsAccepted()
    {
        Assert.Null(DispatchValidator.Validate(Batch(Header("d1"), Launch("e1", 1_700_000_000_000))));
    }

    [Fact]
    public void Validate_EmptyBatchWithHeader_IsAccepted()
    {
        Assert.Null(DispatchValidator.Validate(Batch(Header("d1"))));
    }

    [Fact]
    public void Validate_MissingHeader_IsIncompleteEvent()
    {
        var batch = new Events.Protos.Events();
        batch.Events_.Add(Launch("e1", 1));
        Assert.Equal(DispatchValidator.IncompleteEvent, DispatchValidator.Validate(batch));
    }

    [Fact]
    public void Validate_EmptyDeviceId_IsIncompleteEvent()
    {
        Assert.Equal(DispatchValidator.IncompleteEvent, DispatchValidator.Validate(Batch(Header(""), Launch("e1", 1))));
    }

    [Fact]
    public void Validate_EventWithoutId_NamesTheEventIndex()
    {
        var batch = Batch(Header("d1"), Launch("e1", 1), Launch("", 1));
        Assert.Equal("events[1]: id is required", DispatchValidator.Validate(batch));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData(" 12")]
    [InlineData("99999999999999999999999")]
    public void Validate_TimestampNotEpochMilliseconds_NamesTheEventIndex(string timestamp)
    {
        var batch = Batch(Header("d1"), Launch("e1", 1), Launch("e2", 1), Launch("e3", 1));
        batch.Events_[2].Timestamp = timestamp;
        Assert.StartsWith("events[2]: timestamp", DispatchValidator.Validate(batch));
    }

    [Fact]
    public void Validate_LongTimestamp_IsNotEchoedWhole()
    {
        var batch = Batch(Header("d1"), Launch("e1", 1));
        batch.Events_[0].Timestamp = new string('x', 10_000);
        var problem = DispatchValidator.Validate(batch)!;
        Assert.True(problem.Length < 100, problem);
    }
}

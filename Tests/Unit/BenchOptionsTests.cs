using Events.Bench;

namespace Events.Tests.Unit;

/// <summary>The benchmark's on/off switches: on by default, and a value other than on or off is named in the error.</summary>
public sealed class BenchOptionsTests
{
    [Fact]
    public void NoSwitches_RemovesRowsAndDrainsTheScratchQueue()
    {
        var options = BenchOptions.Parse([]);

        Assert.True(options.RemoveRows);
        Assert.True(options.RabbitMqConsumer);
    }

    [Fact]
    public void RemoveRowsOff_KeepsTheRunsRows() => Assert.False(BenchOptions.Parse(["--remove-rows", "off"]).RemoveRows);

    [Fact]
    public void SwitchNeitherOnNorOff_IsRefusedWithItsName()
    {
        var error = Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--remove-rows", "yes", "--rabbitmq-consumer", "no"]));

        Assert.Contains("--remove-rows must be on or off, not 'yes'", error.Message);
        Assert.Contains("--rabbitmq-consumer must be on or off, not 'no'", error.Message);
    }
}

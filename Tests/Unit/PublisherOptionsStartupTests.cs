using Events.Grains;
using Events.Grains.Publishing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Events.Tests.Unit;

/// <summary><c>Events:Publisher</c> as the silo binds and validates it (<c>AddEventPipeline</c>).</summary>
public sealed class PublisherOptionsStartupTests
{
    [Fact]
    public void Unset_LingerIsFiveMillisecondsUntilFiveHundredEvents_SlowConfirmTwentyMilliseconds()
    {
        var options = Publisher([]);

        Assert.Equal(TimeSpan.FromMilliseconds(5), options.Linger);
        Assert.Equal(500, options.LingerUntilEvents);
        Assert.Equal(TimeSpan.FromMilliseconds(20), options.SlowConfirm);
    }

    [Fact]
    public void Linger_Zero_IsAccepted()
    {
        Assert.Equal(TimeSpan.Zero, Publisher(new() { ["Events:Publisher:Linger"] = "00:00:00" }).Linger);
    }

    [Fact]
    public void SlowConfirm_Zero_IsAccepted()
    {
        Assert.Equal(TimeSpan.Zero, Publisher(new() { ["Events:Publisher:SlowConfirm"] = "00:00:00" }).SlowConfirm);
    }

    [Theory]
    [InlineData("Events:Publisher:Linger", "-00:00:00.001", "Events:Publisher:Linger must be between 0 and 1 second.")]
    [InlineData("Events:Publisher:Linger", "00:00:02", "Events:Publisher:Linger must be between 0 and 1 second.")]
    [InlineData("Events:Publisher:LingerUntilEvents", "0", "Events:Publisher:LingerUntilEvents must be at least 1.")]
    [InlineData("Events:Publisher:SlowConfirm", "-00:00:00.001", "Events:Publisher:SlowConfirm must be between 0 and 10 seconds.")]
    [InlineData("Events:Publisher:SlowConfirm", "00:00:11", "Events:Publisher:SlowConfirm must be between 0 and 10 seconds.")]
    public void OutOfRange_IsRefusedWithItsKey(string key, string value, string problem)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Publisher(new() { [key] = value }));

        Assert.Contains(problem, failure.Message);
    }

    private static PublisherOptions Publisher(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddEventPipeline(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<PublisherOptions>>().Value;
    }
}

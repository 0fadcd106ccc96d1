using Events.Grains;
using Events.Grains.Publishing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Events.Tests.Infrastructure;

/// <summary>The sink message codec over the real Orleans serializer, for parts a test builds by hand.</summary>
public static class TestCodec
{
    public static SinkBatchCodec Create() =>
        new(new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer<EventGroup[]>>());
}

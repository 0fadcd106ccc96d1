using System.Diagnostics.Metrics;
using Events.Grains.Sinks;
using Microsoft.Extensions.DependencyInjection;

namespace Events.Tests.Infrastructure;

/// <summary>Real meters from a real meter factory, for parts a test builds by hand.</summary>
public static class TestMeters
{
    public static IMeterFactory Factory() => new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    internal static SinkMetrics Sink(IMeterFactory? meters = null) => new(meters ?? Factory());
}

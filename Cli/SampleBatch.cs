using Events.Protos;

namespace Events.Cli;

/// <summary>A plausible batch from a mobile client: one header, a mix of event types, fresh ids.</summary>
internal static class SampleBatch
{
    private static readonly Func<int, Event>[] Kinds =
    [
        i => new Event { LaunchEvent = new LaunchEvent { Source = "push", LaunchType = "cold", IsFirstLaunch = i == 0 } },
        i => new Event { CurrentURL = $"app://product/{i}", PageOpenedEvent = new PageOpenedEvent { PageName = "product", PageType = "pdp" } },
        i => new Event { AddToCartEvent = new AddToCartEvent { ProductId = $"sku-{i}", Quantity = 1, Price = 499.0, Currency = "INR" } },
    ];

    public static Protos.Events Create(string deviceId, int count)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var batch = new Protos.Events
        {
            Header = new Header
            {
                DeviceId = deviceId,
                SessionId = $"session-{deviceId}",
                UserId = 42,
                ClientId = "events-cli",
                Os = "android",
                AppVersion = "1.0.0",
                CurrentURL = "app://home",
            },
        };
        for (var i = 0; i < count; i++)
        {
            var item = Kinds[i % Kinds.Length](i);
            item.Id = Guid.NewGuid().ToString();
            // Increasing and never ahead of the server's clock (an event from the future gets an error_event row).
            item.Timestamp = (now - count + 1 + i).ToString();
            batch.Events_.Add(item);
        }
        return batch;
    }
}

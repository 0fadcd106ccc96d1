using Events.Grains.Publishing;
using Events.Grains.Routing;
using Events.Grains.Sinks;
using Events.Grains.Tables;
using Microsoft.Extensions.Options;

namespace Events.Grains;

/// <summary>Start-up validation of the pipeline's options; each failure lists every problem.</summary>
internal sealed class PipelineOptionsValidator(TableCatalog catalog)
    : IValidateOptions<RoutingOptions>, IValidateOptions<PublisherOptions>, IValidateOptions<SinkOptions>
{
    public ValidateOptionsResult Validate(string? name, RoutingOptions options) =>
        Result(RoutingTable.Validate(options.Rules, catalog));

    public ValidateOptionsResult Validate(string? name, PublisherOptions options) => Result(Problems(
        (options.ShardsPerTable is < 1 or > 1024, "Events:Publisher:ShardsPerTable must be between 1 and 1024."),
        (options.MaxInFlightPerTable is < 1 or > 256, "Events:Publisher:MaxInFlightPerTable must be between 1 and 256."),
        (options.MaxEventsPerMessage < 1, "Events:Publisher:MaxEventsPerMessage must be at least 1."),
        (options.Linger < TimeSpan.Zero || options.Linger > TimeSpan.FromSeconds(1),
            "Events:Publisher:Linger must be between 0 and 1 second."),
        (options.LingerUntilEvents < 1, "Events:Publisher:LingerUntilEvents must be at least 1."),
        (options.SlowConfirm < TimeSpan.Zero || options.SlowConfirm > TimeSpan.FromSeconds(10),
            "Events:Publisher:SlowConfirm must be between 0 and 10 seconds.")));

    public ValidateOptionsResult Validate(string? name, SinkOptions options) => Result(Problems(
        (options.MaxRows < 1, "Events:Sink:MaxRows must be at least 1."),
        // A delivery waits for its flush; it must finish well inside Orleans' 30 s call timeout.
        (options.FlushInterval <= TimeSpan.Zero || options.FlushInterval > TimeSpan.FromSeconds(10),
            "Events:Sink:FlushInterval must be between 0 and 10 seconds."),
        (options.MessagesPerDelivery is < 1 or > 1024, "Events:Sink:MessagesPerDelivery must be between 1 and 1024."),
        (options.MaxRejectedRetries is < 0 or > 10, "Events:Sink:MaxRejectedRetries must be between 0 and 10."),
        (options.RejectedRetryDelay < TimeSpan.Zero || options.RejectedRetryDelay > TimeSpan.FromSeconds(5),
            "Events:Sink:RejectedRetryDelay must be between 0 and 5 seconds.")));

    private static IEnumerable<string> Problems(params (bool Failed, string Message)[] checks) =>
        checks.Where(c => c.Failed).Select(c => c.Message);

    private static ValidateOptionsResult Result(IEnumerable<string> problems)
    {
        var list = problems.ToList();
        return list.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(list);
    }
}

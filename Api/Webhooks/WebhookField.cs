namespace Events.Api.Webhooks;

/// <summary>
/// Where a provider puts one of an event's fields: a request header (the same for every event of the request),
/// else the first of some dotted JSON paths inside the event that holds a value.
/// </summary>
internal sealed record WebhookField(IReadOnlyList<string> Paths, string? Header = null)
{
    public static WebhookField Path(params string[] paths) => new(paths);

    public static WebhookField HeaderThen(string header, params string[] paths) => new(paths, header);

    public string Describe() => string.Join(" or ", (Header is null ? [] : new[] { $"header {Header}" }).Concat(Paths.Select(p => $"'{p}'")));
}

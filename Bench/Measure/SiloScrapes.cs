namespace Events.Bench.Measure;

/// <summary>Each silo's <c>/metrics</c> text at one moment. A silo that does not answer reads as null: unknown, not zero.</summary>
internal sealed class SiloScrapes(IReadOnlyList<Uri> metrics) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(2) };

    public async Task<IReadOnlyDictionary<Uri, string?>> SnapshotAsync()
    {
        var scrapes = new Dictionary<Uri, string?>();
        foreach (var url in metrics)
        {
            try
            {
                scrapes[url] = await _http.GetStringAsync(url);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                scrapes[url] = null;
            }
        }
        return scrapes;
    }

    public void Dispose() => _http.Dispose();
}

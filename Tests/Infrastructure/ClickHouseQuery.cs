using System.Text.Json;

namespace Events.Tests.Infrastructure;

/// <summary>Reads from the real ClickHouse over its HTTP interface (JSONEachRow), independent of the code under test.</summary>
public sealed class ClickHouseQuery : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri($"http://{LocalServices.Host}:{LocalServices.ClickHousePort}/") };

    public async Task<List<JsonElement>> RowsAsync(string sql)
    {
        var body = await ExecuteAsync(sql + " FORMAT JSONEachRow");
        return body.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .ToList();
    }

    public async Task<string> ExecuteAsync(string sql)
    {
        using var response = await _http.PostAsync("", new StringContent(sql));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"ClickHouse refused '{sql}': {body}");
        }
        return body;
    }

    public void Dispose() => _http.Dispose();
}

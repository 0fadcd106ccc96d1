using System.Globalization;

namespace Events.Bench.Measure;

/// <summary>ClickHouse over its plain HTTP interface: the benchmark's own reads, independent of the code it measures.</summary>
internal sealed class ClickHouseHttp(Uri server, int connections = 4) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = connections })
    {
        BaseAddress = server,
        Timeout = TimeSpan.FromSeconds(60),
    };

    public Uri Server => server;

    public async Task<string> QueryAsync(string sql, CancellationToken cancellationToken = default)
    {
        using var response = await _http.PostAsync("", new StringContent(sql), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode ? body : throw new ClickHouseHttpException(sql, body);
    }

    /// <summary>Rows as tab-separated fields.</summary>
    public async Task<IReadOnlyList<string[]>> RowsAsync(string sql, CancellationToken cancellationToken = default)
    {
        var body = await QueryAsync(sql + " FORMAT TabSeparated", cancellationToken);
        return body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t')).ToList();
    }

    public async Task<long> ScalarAsync(string sql, CancellationToken cancellationToken = default) =>
        long.Parse((await QueryAsync(sql, cancellationToken)).Trim(), CultureInfo.InvariantCulture);

    /// <summary>Posts <paramref name="body"/> as the data of an INSERT given in the URL (with its settings).</summary>
    public async Task InsertAsync(string query, HttpContent body, CancellationToken cancellationToken = default)
    {
        using var response = await _http.PostAsync("?query=" + Uri.EscapeDataString(query), body, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new ClickHouseHttpException(query, await response.Content.ReadAsStringAsync(cancellationToken));
        }
    }

    public static string Quote(string value) => "'" + value.Replace("\\", "\\\\").Replace("'", "\\'") + "'";

    public void Dispose() => _http.Dispose();
}

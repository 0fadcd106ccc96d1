using System.Text.Json;
using Events.Tests.Infrastructure;

namespace Events.Tests.Faults;

/// <summary>
/// What the Orleans Dashboard served by the Api shows an operator: its JSON endpoint <c>/dashboard/DashboardCounters</c>,
/// the data behind the cluster and grain pages (silos with their status, activations per grain type and silo).
/// </summary>
internal sealed class ClusterDashboard(int httpPort) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/dashboard/"), Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>The dashboard's current figures.</summary>
    public async Task<DashboardSnapshot> ReadAsync()
    {
        using var response = await _http.GetAsync("DashboardCounters");
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) return new DashboardSnapshot([], [], $"HTTP {(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        var silos = json.RootElement.GetProperty("hosts").EnumerateArray()
            .Select(h => new DashboardSilo(h.GetProperty("siloAddress").GetString()!, h.GetProperty("status").GetString()!))
            .ToList();
        var grains = json.RootElement.GetProperty("simpleGrainStats").EnumerateArray()
            .Select(g => new DashboardGrains(g.GetProperty("grainType").GetString()!, g.GetProperty("siloAddress").GetString()!,
                g.GetProperty("activationCount").GetInt32()))
            .ToList();
        return new DashboardSnapshot(silos, grains, null);
    }

    /// <summary>Polls until the dashboard satisfies <paramref name="done"/>; fails with what it showed last.</summary>
    public Task<DashboardSnapshot> WaitUntilAsync(Func<DashboardSnapshot, bool> done, TimeSpan timeout, string what) =>
        Eventually.Until(TryReadAsync, done, timeout, snapshot => $"the dashboard did not show {what}; it showed: {snapshot}");

    /// <summary>A snapshot, or an empty one carrying the error while the Api is not answering yet.</summary>
    private async Task<DashboardSnapshot> TryReadAsync()
    {
        try
        {
            return await ReadAsync();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
        {
            return new DashboardSnapshot([], [], ex.Message);
        }
    }

    public void Dispose() => _http.Dispose();
}

/// <param name="Error">Why the dashboard could not be read, if it could not.</param>
internal sealed record DashboardSnapshot(IReadOnlyList<DashboardSilo> Silos, IReadOnlyList<DashboardGrains> Grains, string? Error)
{
    public IReadOnlyList<DashboardSilo> Active => Silos.Where(s => s.Status == "Active").ToList();

    /// <summary>Whether silo-to-silo port <paramref name="port"/> is an active silo (addresses read <c>ip:port@generation</c>).</summary>
    public bool IsActive(int port) => Active.Any(s => s.Address.Contains($":{port}@", StringComparison.Ordinal));

    /// <summary>Activations of grain types whose name contains <paramref name="grainType"/> on the silo of <paramref name="port"/>.</summary>
    public int Activations(string grainType, int port) => Grains
        .Where(g => g.GrainType.Contains(grainType, StringComparison.Ordinal) && g.SiloAddress.Contains($":{port}@", StringComparison.Ordinal))
        .Sum(g => g.ActivationCount);

    public override string ToString() => Error ?? string.Join(", ", Silos.Select(s => $"{s.Address} {s.Status}"));
}

internal sealed record DashboardSilo(string Address, string Status);

internal sealed record DashboardGrains(string GrainType, string SiloAddress, int ActivationCount);

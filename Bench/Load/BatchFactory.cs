using System.Globalization;
using Events.Protos;

namespace Events.Bench.Load;

/// <summary>
/// Builds dispatch batches: one header per client (a device), events of every selected type in turn, ids unique
/// in the run (<c>{run}-{sequence}</c>) and timestamps of now. Cheap on purpose: the benchmark shares the cores.
/// </summary>
internal sealed class BatchFactory
{
    private readonly string _runId;
    private readonly IReadOnlyList<EventKind> _kinds;
    private readonly int _batchSize;
    private readonly Header[] _headers;
    private long _sequence;

    public BatchFactory(string runId, IReadOnlyList<EventKind> kinds, int batchSize, int clients)
    {
        _runId = runId;
        _kinds = kinds;
        _batchSize = batchSize;
        _headers = Enumerable.Range(0, clients).Select(c => NewHeader(runId, c)).ToArray();
    }

    public IReadOnlyList<EventKind> Kinds => _kinds;

    public int BatchSize => _batchSize;

    /// <summary>Event ids of this run start with this prefix.</summary>
    public string IdPrefix => _runId + "-";

    public DispatchBatch Create(int client)
    {
        var first = Interlocked.Add(ref _sequence, _batchSize) - _batchSize;
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var batch = new Protos.Events { Header = _headers[client % _headers.Length] };
        var offset = (int)(first / _batchSize % _kinds.Count);
        for (var i = 0; i < _batchSize; i++)
        {
            var kind = _kinds[(offset + i) % _kinds.Count];
            batch.Events_.Add(kind.NewEvent(Id(first + i), timestamp));
        }
        return new DispatchBatch(batch, batch.Events_[0].Id, _kinds[offset].Name);
    }

    private string Id(long sequence) => string.Create(CultureInfo.InvariantCulture, $"{_runId}-{sequence:x10}");

    /// <summary>The device ids of a run's clients start with this prefix (<see cref="RunRows"/> finds its rows by it).</summary>
    public static string DevicePrefix(string runId) => $"bench-{runId}-";

    private static Header NewHeader(string runId, int client) => new()
    {
        DeviceId = DevicePrefix(runId) + client.ToString(CultureInfo.InvariantCulture),
        SessionId = $"session-{runId}-{client}",
        BbDeviceId = 100_000 + client,
        UserId = 42_000 + client,
        AndroidAdvertisingId = "38400000-8cf0-11bd-b23e-10b96e40000d",
        ClientId = "events-bench",
        Channel = "organic",
        Os = "android",
        ClientType = "app",
        AppLanguage = "en",
        AppVersion = "4.12.0",
        AppVersionCode = "41200",
        CurrentURL = "app://home",
        MerchantId = "merchant-17",
        UtmSource = "bench",
        UtmMedium = "load",
        UtmCampaign = "issue-4",
    };
}

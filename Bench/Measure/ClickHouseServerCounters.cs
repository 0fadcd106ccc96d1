using System.Globalization;

namespace Events.Bench.Measure;

/// <summary>
/// Server-wide ClickHouse profile counters (system.events). Server-wide means other clients of the same server
/// (tests running meanwhile) are included: a cross-check of <see cref="TableInserts"/>, not a replacement.
/// </summary>
internal sealed class ClickHouseServerCounters(ClickHouseHttp clickHouse)
{
    private static readonly string[] Names =
    [
        "InsertQuery", "AsyncInsertQuery", "InsertedRows", "AsyncInsertRows", "FailedInsertQuery", "SelectQuery", "MergedRows",
    ];

    public async Task<IReadOnlyDictionary<string, long>> SnapshotAsync()
    {
        var list = string.Join(",", Names.Select(ClickHouseHttp.Quote));
        var rows = await clickHouse.RowsAsync($"SELECT event, value FROM system.events WHERE event IN ({list})");
        var values = rows.ToDictionary(r => r[0], r => long.Parse(r[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
        return Names.ToDictionary(n => n, n => values.GetValueOrDefault(n), StringComparer.Ordinal);
    }

    public static IReadOnlyDictionary<string, long> Between(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after) =>
        after.ToDictionary(kv => kv.Key, kv => kv.Value - before.GetValueOrDefault(kv.Key), StringComparer.Ordinal);
}

using System.Text.RegularExpressions;
using Events.Bench.Measure;

namespace Events.Bench.References;

/// <summary>
/// A throw-away copy of the cluster's table (same columns, engine, sorting key, from SHOW CREATE TABLE), so a
/// reference writes exactly what the cluster writes without touching its data. Dropped on dispose.
/// </summary>
internal sealed partial class ScratchTable : IAsyncDisposable
{
    private readonly ClickHouseHttp _clickHouse;

    private ScratchTable(ClickHouseHttp clickHouse, string database, string name, IReadOnlyList<string> columns)
    {
        _clickHouse = clickHouse;
        Database = database;
        Name = name;
        Columns = columns;
    }

    public string Database { get; }

    public string Name { get; }

    public string Qualified => $"`{Database}`.`{Name}`";

    public IReadOnlyList<string> Columns { get; }

    public static async Task<ScratchTable> CreateAsync(ClickHouseHttp clickHouse, string database, string sourceTable, string name)
    {
        var ddl = (await clickHouse.QueryAsync($"SHOW CREATE TABLE `{database}`.`{sourceTable}` FORMAT TSVRaw")).Trim();
        var scratch = TableName().Replace(ddl, $"CREATE TABLE `{database}`.`{name}`", 1);
        await clickHouse.QueryAsync($"DROP TABLE IF EXISTS `{database}`.`{name}`");
        await clickHouse.QueryAsync(scratch);
        var columns = (await clickHouse.RowsAsync(
                $"SELECT name FROM system.columns WHERE database = {ClickHouseHttp.Quote(database)} AND table = {ClickHouseHttp.Quote(name)} ORDER BY position"))
            .Select(r => r[0]).ToList();
        return new ScratchTable(clickHouse, database, name, columns);
    }

    public Task<long> RowsAsync() => _clickHouse.ScalarAsync($"SELECT count() FROM {Qualified}");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _clickHouse.QueryAsync($"DROP TABLE IF EXISTS {Qualified}");
        }
        catch (Exception ex) when (ex is HttpRequestException or ClickHouseHttpException or TaskCanceledException)
        {
            Console.Error.WriteLine($"warning: could not drop the scratch table {Qualified}: {ex.Message}");
        }
    }

    [GeneratedRegex(@"^CREATE TABLE \S+")]
    private static partial Regex TableName();
}

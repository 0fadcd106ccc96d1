using System.IO.Compression;
using ClickHouse.Driver;
using Events.Grains;
using Events.Grains.Sinks;
using Events.Grains.Tables;
using Events.Silo.ClickHouse;
using Events.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Events.Tests.ClickHouse;

/// <summary>
/// The ClickHouse writer against the real server: every column type the tables use, encoded as RowBinary ahead of
/// the insert, reads back as written, with compression and without; with it a message's rows wait gzipped; a value
/// its column cannot hold refuses the insert and names the column; copies in one insert stay until a merge; a table
/// made before its settings gets them.
/// </summary>
public sealed class ClickHouseTableWriterTests : IAsyncLifetime
{
    private readonly string _database = "t_" + Guid.NewGuid().ToString("N")[..12];
    private readonly ClickHouseQuery _query = new();
    private ClickHouseClient _client = null!;
    private ClickHouseSchema _schema = null!;
    private ClickHouseTableWriter _writer = null!;

    // One column per type the encoder knows; the values come from the row's event params by index.
    private static TableSchema Table(string name, string engine = "MergeTree") => new()
    {
        Name = name,
        Columns =
        [
            new("id", "String", r => r.Event.Id),
            new("name", "LowCardinality(String)", r => r.Event.Name),
            new("at", "DateTime64(3, 'UTC')", r => DateTime.UnixEpoch.AddMilliseconds(r.Event.TimestampMs)),
            new("n", "Int64", r => r.Event.TimestampMs * -1),
            new("small", "UInt16", r => (ushort)(r.Event.TimestampMs % 65_536)),
            new("x", "Float64", r => r.Event.TimestampMs / 8.0),
            new("yes", "Bool", r => r.Event.TimestampMs % 2 == 1),
            new("money", "Decimal(18, 4)", r => r.Event.TimestampMs == 0 ? -12_345_678_901_234.5678m : 0.0001m * r.Event.TimestampMs),
            new("params", "String", r => r.Event.ParamsJson),
        ],
        Engine = engine,
        OrderBy = "id",
    };

    public async ValueTask InitializeAsync()
    {
        await LocalServices.RequireAsync("ClickHouse", LocalServices.ClickHousePort);
        var options = Options.Create(new ClickHouseOptions { Port = LocalServices.ClickHousePort, Database = _database });
        _client = new ClickHouseClient(options.Value.ConnectionString);
        _schema = new ClickHouseSchema(options, _client);
        _writer = new ClickHouseTableWriter(_schema, _client, options);
    }

    public async ValueTask DisposeAsync()
    {
        await _query.ExecuteAsync($"DROP DATABASE IF EXISTS `{_database}`");
        _query.Dispose();
        _client.Dispose();
    }

    // A writer of its own for the compression setting (the default, on, is _writer's).
    private (ClickHouseTableWriter Writer, ClickHouseClient Client) Writer(bool compression)
    {
        var options = Options.Create(new ClickHouseOptions { Port = LocalServices.ClickHousePort, Database = _database, Compression = compression });
        var client = new ClickHouseClient(options.Value.ConnectionString);
        return (new ClickHouseTableWriter(new ClickHouseSchema(options, client), client, options), client);
    }

    private static IEnumerable<object[]> Rows(TableSchema table, params IngestedEvent[] events)
    {
        var group = new EventGroup { Source = "test", EventName = "E", Header = EventHeader.Empty, Events = events };
        return events.Select(e => table.MapRow(new RowContext(group, e)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task EncodedParts_EveryColumnType_ReadBackAsWritten(bool compression)
    {
        var (writer, client) = Writer(compression);
        using var _ = client;
        var table = Table("types");
        var longText = new string('ü', 70_000); // longer than the encoder's buffer
        IngestedEvent[] events =
        [
            new() { Id = "a", Name = "Ünïcode ✓", TimestampMs = 0, ParamsJson = "" },
            new() { Id = "b", Name = "B", TimestampMs = 1_700_000_000_123, ParamsJson = longText },
            new() { Id = "c", Name = "", TimestampMs = 65_537, ParamsJson = "{\"k\":[1,2]}" },
        ];

        // Two messages' rows, encoded when they arrived, sent in one insert.
        var first = writer.Encode(table, Rows(table, events[..2]));
        var second = writer.Encode(table, Rows(table, events[2..]));
        Assert.NotNull(first);
        Assert.NotNull(second);
        await writer.WriteEncodedAsync(table, [first, second], CancellationToken.None);

        var rows = await _query.RowsAsync(
            $"SELECT id, name, toUnixTimestamp64Milli(at) AS at, n, small, x, yes, toString(money) AS money, params FROM `{_database}`.types ORDER BY id");
        Assert.Equal(["a", "b", "c"], rows.Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(["Ünïcode ✓", "B", ""], rows.Select(r => r.GetProperty("name").GetString()));
        Assert.Equal(["0", "1700000000123", "65537"], rows.Select(r => r.GetProperty("at").ToString()));
        Assert.Equal(["0", "-1700000000123", "-65537"], rows.Select(r => r.GetProperty("n").ToString()));
        Assert.Equal([0, 1_700_000_000_123 % 65_536, 1], rows.Select(r => r.GetProperty("small").GetInt64()));
        Assert.Equal([0, 1_700_000_000_123 / 8.0, 65_537 / 8.0], rows.Select(r => r.GetProperty("x").GetDouble()));
        Assert.Equal([false, true, true], rows.Select(r => r.GetProperty("yes").GetBoolean()));
        Assert.Equal(["-12345678901234.5678", "170000000.0123", "6.5537"], rows.Select(r => r.GetProperty("money").GetString()));
        Assert.Equal(["", longText, "{\"k\":[1,2]}"], rows.Select(r => r.GetProperty("params").GetString()));
    }

    [Fact]
    public void WithCompression_AMessagesRowsWaitGzipped_AsTheirRowBinaryMadeSmaller()
    {
        var (plain, client) = Writer(compression: false);
        using var _ = client;
        var table = Table("held");
        var events = Enumerable.Range(0, 500)
            .Select(i => new IngestedEvent { Id = $"id-{i}", Name = "AppOpened", TimestampMs = 1_700_000_000_000 + i, ParamsJson = "{\"screen\":\"home\"}" })
            .ToArray();

        using var rowBinary = plain.Encode(table, Rows(table, events));
        using var held = _writer.Encode(table, Rows(table, events));

        Assert.NotNull(rowBinary);
        Assert.NotNull(held);
        Assert.Equal(500, held.Rows);
        Assert.True(held.Bytes.Length * 2 < rowBinary.Bytes.Length, $"{held.Bytes.Length} bytes held for {rowBinary.Bytes.Length} of rows");
        using var unzipped = new MemoryStream();
        using (var gzip = new GZipStream(new MemoryStream(held.Bytes.ToArray()), CompressionMode.Decompress)) gzip.CopyTo(unzipped);
        Assert.Equal(rowBinary.Bytes.ToArray(), unzipped.ToArray());
    }

    [Fact]
    public async Task AValueItsColumnCannotHold_IsNotEncoded_AndRefusesTheInsertOfTheRows_NamingTheColumn()
    {
        var table = Table("refused");
        await _schema.EnsureAsync(table);
        var good = Rows(table, new IngestedEvent { Id = "ok", Name = "E", TimestampMs = 1 }).Single();
        var bad = (object[])good.Clone();
        bad[table.ColumnNames.ToList().IndexOf("small")] = "not a number";

        Assert.Null(_writer.Encode(table, [good, bad]));
        var refused = await Assert.ThrowsAsync<RowsRejectedException>(
            () => _writer.WriteAsync(table, [good, bad], CancellationToken.None));

        Assert.Contains("small", refused.Reason);
        Assert.Equal("0", (await _query.ExecuteAsync($"SELECT count() FROM `{_database}`.refused")).Trim());
    }

    [Fact]
    public async Task CopiesInOneInsert_StayUntilAMerge_AndCollapseWithFinal()
    {
        // The writer inserts with optimize_on_insert = 0, so ClickHouse does not spend the insert collapsing them.
        var table = Table("copies", "ReplacingMergeTree");
        var copy = new IngestedEvent { Id = "same", Name = "E", TimestampMs = 1 };

        await _writer.WriteAsync(table, Rows(table, copy, copy).ToList(), CancellationToken.None);

        Assert.Equal("2", (await _query.ExecuteAsync($"SELECT count() FROM `{_database}`.copies")).Trim());
        Assert.Equal("1", (await _query.ExecuteAsync($"SELECT count() FROM `{_database}`.copies FINAL")).Trim());
    }

    [Fact]
    public async Task ATableMadeBeforeItsSettings_GetsThemWhenFirstUsed()
    {
        var table = Table("older");
        await _query.ExecuteAsync($"CREATE DATABASE IF NOT EXISTS `{_database}`");
        await _query.ExecuteAsync(table.CreateTableSql(_database).Replace($"SETTINGS {table.Settings}", ""));
        Assert.DoesNotContain("merge_selector_base", await _query.ExecuteAsync($"SHOW CREATE TABLE `{_database}`.older"));

        await _schema.EnsureAsync(table);

        Assert.Contains("merge_selector_base = 10", await _query.ExecuteAsync($"SHOW CREATE TABLE `{_database}`.older"));
    }

    [Fact]
    public async Task ASettingAnOperatorChanged_IsKeptWhenTheTableIsFirstUsed()
    {
        var table = Table("tuned");
        await _query.ExecuteAsync($"CREATE DATABASE IF NOT EXISTS `{_database}`");
        await _query.ExecuteAsync(table.CreateTableSql(_database));
        await _query.ExecuteAsync($"ALTER TABLE `{_database}`.tuned MODIFY SETTING merge_selector_base = 7");

        await _schema.EnsureAsync(table); // as a silo starting after the operator's change

        Assert.Contains("merge_selector_base = 7", await _query.ExecuteAsync($"SHOW CREATE TABLE `{_database}`.tuned"));
    }

    [Fact]
    public void ATypeWithoutAnEncoder_FailsNamingTheColumn()
    {
        var table = new TableSchema
        {
            Name = "odd", Columns = [new("when", "Date", _ => DateTime.UnixEpoch)], Engine = "MergeTree", OrderBy = "when",
        };

        var error = Assert.Throws<NotSupportedException>(() => RowBinaryColumns.RowWriter(table));

        Assert.Contains("odd.when", error.Message);
    }
}

using Events.Grains;
using Events.Grains.Sinks;
using Events.Grains.Tables;
using Events.Silo.Postgres;
using Events.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Events.Tests.Postgres;

/// <summary>
/// The PostgreSQL writer against the real server, in a schema of its own per test: idempotent transactional writes,
/// refused rows told from failures of the moment, tables created again when dropped.
/// </summary>
public sealed class PostgresTableWriterTests : IAsyncLifetime
{
    private readonly string _schemaName = "t_" + Guid.NewGuid().ToString("N")[..12];
    private NpgsqlDataSource _dataSource = null!;
    private PostgresTableWriter _writer = null!;

    public async ValueTask InitializeAsync()
    {
        await PostgresQuery.RequireAsync();
        (_dataSource, _writer) = WriterFor(PostgresQuery.ConnectionString, _schemaName);
    }

    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await PostgresQuery.DropSchemaAsync(_schemaName);
    }

    [Fact]
    public async Task Write_SameRowsAgain_StoresEachRowOnce()
    {
        var first = Referrals("r", 0, 3);
        await WriteAsync(PostgresTables.ReferralEvent, first);
        // A redelivered generation, and a later one overlapping it.
        await WriteAsync(PostgresTables.ReferralEvent, first);
        await WriteAsync(PostgresTables.ReferralEvent, Referrals("r", 2, 3));

        var rows = await RowsAsync("SELECT event_id, referrer_id, referee_user_id, event_timestamp, event_params::text AS params FROM {0}.referral_event ORDER BY event_id");
        Assert.Equal(["r-0", "r-1", "r-2", "r-3", "r-4"], rows.Select(r => (string)r["event_id"]!));
        Assert.Equal("referrer-1", rows[1]["referrer_id"]);
        Assert.Equal(77L, rows[1]["referee_user_id"]);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_001).UtcDateTime, rows[1]["event_timestamp"]);
        Assert.Contains("\"referrerId\": \"referrer-1\"", (string)rows[1]["params"]!);
    }

    [Fact]
    public async Task Write_ConcurrentCopiesOfTheSameRows_StoreEachRowOnce()
    {
        var rows = Referrals("c", 0, 200);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => WriteAsync(PostgresTables.ReferralEvent, rows)));

        Assert.Equal(200L, await CountAsync("referral_event"));
    }

    [Fact]
    public async Task Write_GenerationOfTenThousandRows_IsOneTransaction()
    {
        await WriteAsync(PostgresTables.ReferralEvent, Referrals("big", 0, 10_000));

        Assert.Equal(10_000L, await CountAsync("referral_event"));
    }

    [Fact]
    public async Task Write_HandMadeUserAccount_StoresItsTypedColumns()
    {
        var account = Row(PostgresTables.UserAccount, "account-9001", 1_700_000_123_456,
            """{"user_id": "9001", "name": "Asha", "email": "asha@example.com", "phone": "+911234", "referral_code": "ASHA1", "source": "android"}""");

        await WriteAsync(PostgresTables.UserAccount, [account]);
        await WriteAsync(PostgresTables.UserAccount, [account]);

        var row = Assert.Single(await RowsAsync("SELECT *, payload->>'email' AS payload_email FROM {0}.user_account"));
        Assert.Equal("account-9001", row["event_id"]);
        Assert.Equal(9001L, row["user_id"]);
        Assert.Equal("Asha", row["name"]);
        Assert.Equal("+911234", row["phone"]);
        Assert.Equal("ASHA1", row["referral_code"]);
        Assert.Equal("android", row["signup_source"]);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_123_456).UtcDateTime, row["created_at"]);
        Assert.Equal("asha@example.com", row["payload_email"]);
    }

    [Fact]
    public async Task Write_TextWithANulCharacter_IsRefusedAndNothingOfTheGenerationStored()
    {
        var rows = Referrals("nul", 0, 3);
        rows[1] = Row(PostgresTables.ReferralEvent, "nul-1", 0, """{"referrerId": "bad\u0000referrer"}""");

        var refused = await Assert.ThrowsAsync<RowsRejectedException>(() => WriteAsync(PostgresTables.ReferralEvent, rows));

        Assert.Contains("PostgreSQL 22", refused.Reason);
        Assert.Equal(0L, await CountAsync("referral_event"));
    }

    [Fact]
    public async Task Write_ParamsThatAreNotJson_AreRefused()
    {
        var row = Row(PostgresTables.ReferralEvent, "json-0", 0, "{}");
        row[PostgresTables.ReferralEvent.ColumnNames.ToList().IndexOf("event_params")] = "{not json";

        var refused = await Assert.ThrowsAsync<RowsRejectedException>(() => WriteAsync(PostgresTables.ReferralEvent, [row]));

        Assert.Contains("PostgreSQL 22P02", refused.Reason);
    }

    [Fact]
    public async Task Write_EventIdTooLongForTheKeyIndex_IsRefused()
    {
        // Random, so it does not compress under the index's ~2.7 kB limit.
        var id = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(9_000));

        var refused = await Assert.ThrowsAsync<RowsRejectedException>(() =>
            WriteAsync(PostgresTables.ReferralEvent, [Row(PostgresTables.ReferralEvent, id, 0, "{}")]));

        Assert.Contains("PostgreSQL 54000", refused.Reason);
    }

    [Fact]
    public async Task Write_ValueOfAnotherTypeThanItsColumn_IsRefused()
    {
        var table = new TableSchema
        {
            Name = "mistyped",
            Store = SinkStore.PostgreSql,
            Columns = [new("id", "text", r => r.Event.Id), new("amount", "bigint", r => "not a number")],
            Engine = "heap",
            OrderBy = "id",
        };

        await Assert.ThrowsAsync<RowsRejectedException>(() => WriteAsync(table, [Row(table, "m-0", 0, "{}")]));

        // The refusal left no half-written transaction on a pooled connection: the next write works.
        await WriteAsync(PostgresTables.ReferralEvent, Referrals("after", 0, 1));
        Assert.Equal(1L, await CountAsync("referral_event"));
    }

    [Fact]
    public async Task Write_ServerNotListening_IsTransientNotRefused()
    {
        var closedPort = LocalServices.FreeTcpPort();
        var (dataSource, writer) = WriterFor(
            $"Host={LocalServices.Host};Port={closedPort};Username=events;Password=events;Database=events;Timeout=3", _schemaName);
        await using var _ = dataSource;

        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            writer.WriteAsync(PostgresTables.ReferralEvent, Referrals("down", 0, 1), CancellationToken.None));

        Assert.IsNotType<RowsRejectedException>(error);
        Assert.IsAssignableFrom<NpgsqlException>(error);
    }

    [Fact]
    public async Task Write_AfterItsSchemaWasDropped_CreatesItAgainOnTheNextAttempt()
    {
        await WriteAsync(PostgresTables.ReferralEvent, Referrals("d", 0, 1));
        await PostgresQuery.DropSchemaAsync(_schemaName);

        // The first attempt finds the schema gone (a transient error: the sink retries), the retry recreates it.
        var gone = await Assert.ThrowsAsync<PostgresException>(() => WriteAsync(PostgresTables.ReferralEvent, Referrals("d", 1, 1)));
        Assert.Contains(gone.SqlState, new[] { "3F000", "42P01" });
        await WriteAsync(PostgresTables.ReferralEvent, Referrals("d", 1, 1));

        Assert.Equal(1L, await CountAsync("referral_event"));
    }

    private Task WriteAsync(TableSchema table, IReadOnlyList<object[]> rows) =>
        _writer.WriteAsync(table, rows, CancellationToken.None);

    private Task<List<Dictionary<string, object?>>> RowsAsync(string sqlWithSchema) =>
        PostgresQuery.RowsAsync(string.Format(sqlWithSchema, $"\"{_schemaName}\""));

    private async Task<long> CountAsync(string table) =>
        (long)(await RowsAsync($"SELECT count(*) AS n FROM {{0}}.{table}"))[0]["n"]!;

    private static (NpgsqlDataSource, PostgresTableWriter) WriterFor(string connectionString, string schemaName)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        var options = Options.Create(new PostgresOptions { ConnectionString = connectionString, Schema = schemaName });
        return (dataSource, new PostgresTableWriter(new PostgresSchema(options, dataSource), dataSource));
    }

    private static List<object[]> Referrals(string prefix, int from, int count) => Enumerable.Range(from, count)
        .Select(i => Row(PostgresTables.ReferralEvent, $"{prefix}-{i}", 1_700_000_000_000 + i,
            $$"""{"referrerId": "referrer-{{i}}", "referralCode": "CODE{{i}}", "campaign": "spring"}"""))
        .ToList();

    private static object[] Row(TableSchema table, string id, long timestampMs, string paramsJson) => table.MapRow(new RowContext(
        new EventGroup
        {
            Source = "grpc", EventName = "LaunchReferEvent", Events = [],
            Header = new EventHeader { UserId = 77, DeviceId = "device-1", BbDeviceId = 5, SessionId = "s-1" },
            ReceivedAtUtc = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc),
        },
        new IngestedEvent { Id = id, Name = "LaunchReferEvent", TimestampMs = timestampMs, ParamsJson = paramsJson }));
}

using Events.Grains.Tables;
using Events.Silo.Postgres;

namespace Events.Tests.Unit;

public sealed class PostgresDdlTests
{
    [Fact]
    public void CreateTableSql_ReferralEvent_PostgresTypesNotNullAndTheEventIdAsPrimaryKey()
    {
        var sql = PostgresDdl.CreateTableSql("events", PostgresTables.ReferralEvent);

        Assert.StartsWith("CREATE TABLE IF NOT EXISTS \"events\".\"referral_event\" (", sql);
        Assert.Contains("\"event_id\" text NOT NULL,", sql);
        Assert.Contains("\"referee_user_id\" bigint NOT NULL,", sql);
        Assert.Contains("\"event_timestamp\" timestamptz NOT NULL,", sql);
        Assert.Contains("\"event_params\" jsonb NOT NULL,", sql);
        Assert.Contains("PRIMARY KEY (\"event_id\")", sql);
        Assert.EndsWith(") USING heap", sql);
    }

    [Fact]
    public void CreateSchemaSql_IsIdempotentAndQuoted()
    {
        Assert.Equal("CREATE SCHEMA IF NOT EXISTS \"t_1\"", PostgresDdl.CreateSchemaSql("t_1"));
        Assert.Equal("\"a\"\"b\"", PostgresDdl.Quote("a\"b"));
    }

    [Fact]
    public void EveryTable_HasDdlForItsOwnStoreOnly()
    {
        foreach (var table in AllTables.List.Where(t => t.Store == SinkStore.PostgreSql))
        {
            Assert.Contains("PRIMARY KEY", PostgresDdl.CreateTableSql("s", table));
        }
        var clickHouseTable = Assert.Throws<ArgumentException>(() => PostgresDdl.CreateTableSql("s", EventTables.Event));
        Assert.Contains("'event' lives in ClickHouse", clickHouseTable.Message);
    }

    [Fact]
    public void PostgresTables_HoldPostgresTypesOnly()
    {
        string[] postgresTypes = ["text", "bigint", "boolean", "double precision", "timestamptz", "jsonb"];
        foreach (var table in PostgresTables.All)
        {
            Assert.Equal(SinkStore.PostgreSql, table.Store);
            Assert.All(table.Columns, c => Assert.Contains(c.Type, postgresTypes));
        }
    }

    [Fact]
    public void CreateTableSql_KeyOnAnUnknownColumnOrPartitioned_IsRefused()
    {
        var unknownKey = new TableSchema
        {
            Name = "x", Store = SinkStore.PostgreSql, Engine = "heap", OrderBy = "id, missing",
            Columns = [new("id", "text", r => r.Event.Id)],
        };
        var partitioned = new TableSchema
        {
            Name = "y", Store = SinkStore.PostgreSql, Engine = "heap", OrderBy = "id", PartitionBy = "id",
            Columns = [new("id", "text", r => r.Event.Id)],
        };

        Assert.Contains("primary key 'id, missing'", Assert.Throws<ArgumentException>(() => PostgresDdl.CreateTableSql("s", unknownKey)).Message);
        Assert.Contains("not partitioned", Assert.Throws<ArgumentException>(() => PostgresDdl.CreateTableSql("s", partitioned)).Message);
    }
}

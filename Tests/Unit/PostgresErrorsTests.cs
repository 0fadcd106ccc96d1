using System.Net.Sockets;
using Events.Grains.Sinks;
using Events.Silo.Postgres;
using Npgsql;

namespace Events.Tests.Unit;

public sealed class PostgresErrorsTests
{
    [Theory]
    [InlineData("22P02")] // invalid_text_representation (e.g. not JSON)
    [InlineData("22021")] // character_not_in_repertoire (a NUL in text)
    [InlineData("22003")] // numeric_value_out_of_range
    [InlineData("23502")] // not_null_violation
    [InlineData("23514")] // check_violation
    [InlineData("54000")] // program_limit_exceeded (a key too large for its index)
    public void Classify_DataAndIntegrityErrors_AreRefusedRows(string sqlState)
    {
        var refused = Assert.IsType<RowsRejectedException>(PostgresErrors.Classify(Server(sqlState)));

        Assert.StartsWith($"PostgreSQL {sqlState}: ", refused.Reason);
        Assert.IsType<PostgresException>(refused.InnerException);
    }

    [Theory]
    [InlineData("23505")] // unique_violation: ON CONFLICT absorbs it; otherwise concurrent DDL
    [InlineData("57P01")] // admin_shutdown
    [InlineData("57P03")] // cannot_connect_now (starting up)
    [InlineData("40001")] // serialization_failure
    [InlineData("40P01")] // deadlock_detected
    [InlineData("53300")] // too_many_connections
    [InlineData("08006")] // connection_failure
    [InlineData("42P01")] // undefined_table: created again before the retry
    public void Classify_FailuresOfTheMoment_AreRetried(string sqlState)
    {
        var error = Server(sqlState);

        Assert.Same(error, PostgresErrors.Classify(error));
    }

    [Fact]
    public void Classify_ConnectionRefusedAndTimeouts_AreRetried()
    {
        var refused = new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused));
        var timeout = new NpgsqlException("Exception while reading from stream", new TimeoutException());

        Assert.Same(refused, PostgresErrors.Classify(refused));
        Assert.Same(timeout, PostgresErrors.Classify(timeout));
        Assert.IsType<TimeoutException>(PostgresErrors.Classify(new TimeoutException()));
    }

    [Fact]
    public void Classify_ValueNpgsqlCannotSendAsItsColumnType_IsARefusedRow()
    {
        var refused = Assert.IsType<RowsRejectedException>(PostgresErrors.Classify(new InvalidCastException("Writing values of 'System.String' is not supported")));

        Assert.Contains("cannot be written to its column", refused.Reason);
    }

    private static PostgresException Server(string sqlState) => new("something failed\nsecond line", "ERROR", "ERROR", sqlState);
}

using Events.Grains.Sinks;
using Npgsql;

namespace Events.Silo.Postgres;

/// <summary>
/// Tells rows PostgreSQL refuses for their content (sending them again cannot help) from failures of the moment
/// (connection refused, timeouts, a server shutting down, serialization failures), which are retried without limit.
/// Only the codes listed here count as refusals: anything unknown is retried rather than dead-lettered by mistake.
/// https://www.postgresql.org/docs/current/errcodes-appendix.html
/// </summary>
internal static class PostgresErrors
{
    private const string UniqueViolation = "23505";

    // A value too large for the primary key's index ("index row size exceeds maximum"): an absurdly long event id.
    private const string ProgramLimitExceeded = "54000";

    /// <summary>The exception to throw for <paramref name="error"/>: a <see cref="RowsRejectedException"/> or itself.</summary>
    public static Exception Classify(Exception error) => error switch
    {
        PostgresException server when IsRefusedRow(server.SqlState) =>
            new RowsRejectedException($"PostgreSQL {server.SqlState}: {FirstLine(server.MessageText)}", error),
        // Npgsql found a value it cannot send as its column's type: the row, not the moment, is at fault.
        InvalidCastException cast =>
            new RowsRejectedException($"a value cannot be written to its column: {FirstLine(cast.Message)}", error),
        _ => error,
    };

    /// <summary>
    /// Class 22 (data exception: bad encoding, invalid JSON, out of range) and class 23 (integrity: NOT NULL, checks)
    /// except unique violations, which ON CONFLICT DO NOTHING absorbs and which otherwise come from concurrent DDL.
    /// </summary>
    public static bool IsRefusedRow(string sqlState) =>
        sqlState.StartsWith("22", StringComparison.Ordinal)
        || (sqlState.StartsWith("23", StringComparison.Ordinal) && sqlState != UniqueViolation)
        || sqlState == ProgramLimitExceeded;

    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0];
        return line.Length <= 500 ? line : line[..500];
    }
}

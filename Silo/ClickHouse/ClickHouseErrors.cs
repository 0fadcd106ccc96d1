using System.Data.Common;
using ClickHouse.Driver;
using Events.Grains.Sinks;

namespace Events.Silo.ClickHouse;

/// <summary>
/// Tells rows ClickHouse refuses for their content (sending them again cannot help) from failures of the moment
/// (connection refused, timeouts, overload, a restarting server), which are retried without limit. Only the codes
/// listed here count as refusals: an unknown error is retried rather than dead-lettered by mistake.
/// </summary>
internal static class ClickHouseErrors
{
    // https://github.com/ClickHouse/ClickHouse/blob/master/src/Common/ErrorCodes.cpp
    private static readonly HashSet<int> RefusedRowCodes =
    [
        6,   // CANNOT_PARSE_TEXT
        26,  // CANNOT_PARSE_QUOTED_STRING
        27,  // CANNOT_PARSE_INPUT_ASSERTION_FAILED
        32,  // ATTEMPT_TO_READ_AFTER_EOF (malformed RowBinary)
        33,  // CANNOT_READ_ALL_DATA
        38,  // CANNOT_PARSE_DATE
        41,  // CANNOT_PARSE_DATETIME
        53,  // TYPE_MISMATCH
        69,  // ARGUMENT_OUT_OF_BOUND
        70,  // CANNOT_CONVERT_TYPE
        72,  // CANNOT_PARSE_NUMBER
        117, // INCORRECT_DATA
        131, // TOO_LARGE_STRING_SIZE
        321, // VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE
        349, // CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN
        469, // VIOLATED_CONSTRAINT
    ];

    /// <summary>The exception to throw for <paramref name="error"/>: a <see cref="RowsRejectedException"/> or itself.</summary>
    public static Exception Classify(Exception error) => error switch
    {
        ClickHouseServerException server when RefusedRowCodes.Contains(Code(server)) =>
            new RowsRejectedException($"ClickHouse code {Code(server)}: {FirstLine(server.Message)}", error),
        _ => error,
    };

    private static int Code(DbException error) => error.ErrorCode;

    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0];
        return line.Length <= 500 ? line : line[..500];
    }
}

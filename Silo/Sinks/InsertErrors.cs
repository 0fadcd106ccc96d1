using System.Net.Sockets;
using ClickHouse.Driver;
using Events.Grains.Sinks;
using Npgsql;

namespace Events.Silo.Sinks;

/// <summary>
/// Names the class of a failed insert for the <c>error</c> label, so an operator tells a store that is down
/// (<c>unreachable</c>, <c>timeout</c>) from one that answers with errors (<c>server</c>) or refuses rows (<c>rejected</c>).
/// </summary>
internal static class InsertErrors
{
    public static string ClassOf(Exception error) => error switch
    {
        RowsRejectedException => "rejected",
        TimeoutException or OperationCanceledException => "timeout",
        _ when Has<SocketException>(error) => "unreachable",
        HttpRequestException { StatusCode: null } => "unreachable",
        ClickHouseServerException or PostgresException or HttpRequestException => "server",
        NpgsqlException { InnerException: TimeoutException } => "timeout",
        _ => "other",
    };

    private static bool Has<T>(Exception error) where T : Exception
    {
        for (Exception? current = error; current is not null; current = current.InnerException)
        {
            if (current is T) return true;
        }
        return false;
    }
}

namespace Events.Grains.Sinks;

/// <summary>
/// The database refused the rows themselves (a value the table rejects), so sending them again unchanged cannot
/// succeed. Anything else a writer throws is taken as transient and retried without limit.
/// </summary>
public sealed class RowsRejectedException(string reason, Exception? inner = null) : Exception(reason, inner)
{
    public string Reason => Message;
}

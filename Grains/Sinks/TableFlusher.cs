using Events.Grains.Publishing;
using Events.Grains.Tables;
using Microsoft.Extensions.Logging;

namespace Events.Grains.Sinks;

/// <summary>
/// Writes one generation of a table's rows, normally in one insert of the rows its messages brought encoded.
/// If the table refuses some rows for their data, the others are written and the refused ones go to
/// <c>error_event</c> and the dead-letter queue, so one bad event never holds back its batch. Completes only when
/// every row is in its table or dead-lettered.
/// </summary>
internal sealed class TableFlusher(
    TableSchema table,
    SinkBatchCodec codec,
    ITableWriter writer,
    IDeadLetterSink deadLetters,
    SinkOptions options,
    ILogger logger,
    SinkMetrics metrics)
{
    public async Task WriteAsync(IReadOnlyList<WaitingMessage> messages)
    {
        try
        {
            await WriteOrThrowAsync(messages);
        }
        finally
        {
            // Written, dead-lettered or failed (then redelivered and encoded again): the encoded bytes are done with.
            foreach (var message in messages) message.Encoded?.Dispose();
        }
    }

    private async Task WriteOrThrowAsync(IReadOnlyList<WaitingMessage> messages)
    {
        var count = messages.Sum(m => m.Message.EventCount);
        // Rows are made from the messages only when a store takes objects, a value could not be encoded, or the table
        // refused the insert; then they are made once and kept for the search (the HTTP forwarder remembers which
        // rows it delivered).
        var rows = messages.All(m => m.Encoded is not null) ? null : Map(messages);
        try
        {
            await (rows is null
                ? writer.WriteEncodedAsync(table, [.. messages.Select(m => m.Encoded!)], CancellationToken.None)
                : WriteRowsAsync(rows));
            SinkLog.Flushed(logger, table.Name, count);
        }
        catch (RowsRejectedException ex)
        {
            rows ??= Map(messages);
            SinkLog.RowsRejected(logger, table.Name, rows.Count, ex.Reason);
            var finder = new RejectedRowFinder<TableRow>(WriteRowsAsync, options.MaxRejectedRetries, attempt =>
            {
                metrics.Retried(table.Name, "rejected");
                return Task.Delay(options.RejectedRetryDelay * attempt);
            });
            var rejected = await finder.WriteAllButRejectedAsync(rows, ex.Reason);
            await DeadLetterAsync(rejected);
        }
        catch (Exception ex)
        {
            SinkLog.FlushFailed(logger, table.Name, count, ex);
            metrics.Retried(table.Name, "failed"); // the generation's messages are redelivered and written again
            throw;
        }
    }

    private List<TableRow> Map(IReadOnlyList<WaitingMessage> messages) =>
        [.. messages.SelectMany(m => table.MapRows(codec.Decode(m.Message)))];

    private Task WriteRowsAsync(IReadOnlyList<TableRow> rows) =>
        writer.WriteAsync(table, rows.Select(r => r.Values).ToList(), CancellationToken.None);

    private async Task DeadLetterAsync(IReadOnlyList<(TableRow Row, string Reason, int Attempts)> rejected)
    {
        if (rejected.Count == 0) return;
        var now = DateTime.UtcNow;
        var errorRows = rejected
            .Select(r => EventTables.ErrorEvent.MapRow(r.Row.Source with { Rejection = new(table.Name, r.Reason, r.Attempts, now) }))
            .ToList();
        await writer.WriteAsync(EventTables.ErrorEvent, errorRows, CancellationToken.None);

        // One dead letter per client group and reason, carrying just the refused events.
        foreach (var letter in rejected.GroupBy(r => (r.Row.Source.Group, r.Reason)))
        {
            var group = letter.Key.Group with { Events = letter.Select(r => r.Row.Source.Event).ToList() };
            await deadLetters.PublishAsync(new DeadLetter(table.Name, letter.Key.Reason, letter.Max(r => r.Attempts), group),
                CancellationToken.None);
        }
        SinkLog.DeadLettered(logger, table.Name, rejected.Count);
        metrics.DeadLettered(table.Name, rejected.Count);
    }
}

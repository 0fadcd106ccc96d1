namespace Events.Grains.Sinks;

/// <summary>
/// After an insert was refused for its data, writes every row that can be written and returns the ones that cannot.
/// Halves the refused rows until the bad ones stand alone (a few inserts for a few bad rows among thousands), then
/// retries each bad row alone <c>maxRetries</c> more times before giving it up. A transient error propagates: the
/// caller retries everything later, and rows already written come back as duplicates that dedup removes.
/// </summary>
internal sealed class RejectedRowFinder<TRow>(
    Func<IReadOnlyList<TRow>, Task> write,
    int maxRetries,
    Func<int, Task> waitBeforeRetry)
{
    /// <param name="rows">Rows the table just refused as one insert.</param>
    /// <param name="reason">Why it refused them.</param>
    public async Task<IReadOnlyList<(TRow Row, string Reason, int Attempts)>> WriteAllButRejectedAsync(
        IReadOnlyList<TRow> rows, string reason)
    {
        var rejected = new List<(TRow, string, int)>();
        await SplitRefusedAsync(rows, reason, rejected);
        return rejected;
    }

    private async Task SplitRefusedAsync(IReadOnlyList<TRow> refused, string reason, List<(TRow, string, int)> rejected)
    {
        if (refused.Count == 1)
        {
            await RetryAloneAsync(refused[0], reason, rejected);
            return;
        }
        var half = refused.Count / 2;
        foreach (var part in new[] { refused.Take(half).ToList(), refused.Skip(half).ToList() })
        {
            try
            {
                await write(part);
            }
            catch (RowsRejectedException ex)
            {
                await SplitRefusedAsync(part, ex.Reason, rejected);
            }
        }
    }

    // The row has been refused alone once already.
    private async Task RetryAloneAsync(TRow row, string reason, List<(TRow, string, int)> rejected)
    {
        for (var retry = 1; retry <= maxRetries; retry++)
        {
            await waitBeforeRetry(retry);
            try
            {
                await write([row]);
                return;
            }
            catch (RowsRejectedException ex)
            {
                reason = ex.Reason;
            }
        }
        rejected.Add((row, reason, 1 + maxRetries));
    }
}

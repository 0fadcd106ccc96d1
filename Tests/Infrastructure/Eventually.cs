namespace Events.Tests.Infrastructure;

/// <summary>Waits for a condition with a bounded timeout instead of sleeping a fixed time.</summary>
public static class Eventually
{
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, Func<T, string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = await probe();
        while (!done(last))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Condition not met within {timeout.TotalSeconds:0} s: {describe(last)}");
            }
            await Task.Delay(200);
            last = await probe();
        }
        return last;
    }
}

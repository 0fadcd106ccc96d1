using System.Collections.Concurrent;
using Events.Tests.Infrastructure;
using Grpc.Core;
using static Events.Tests.EndToEnd.TestBatches;

namespace Events.Tests.Operations;

/// <summary>SIGTERM to the Api while calls are in flight: it exits by itself, and every call it answered SUCCESS is stored.</summary>
public sealed class ApiShutdownTests(PipelineFixture pipeline) : IClassFixture<PipelineFixture>
{
    [Fact]
    public async Task Api_SigtermWithCallsInFlight_AnswersThemAndEverySuccessIsStored()
    {
        var device = "api-sigterm-" + Guid.NewGuid().ToString("N");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var succeeded = new ConcurrentBag<string>();
        var failures = new ConcurrentBag<StatusCode>();
        using var stop = new CancellationTokenSource();

        async Task SendAsync(int client)
        {
            for (var b = 0; !stop.IsCancellationRequested; b++)
            {
                var id = $"{device}-{client}-{b}";
                try
                {
                    var response = await pipeline.Client.dispatchAsync(new Protos.Events { Header = Header(device), Events_ = { Launch(id, now) } },
                        deadline: DateTime.UtcNow.AddSeconds(20));
                    if (response.Status == "SUCCESS") succeeded.Add(id);
                }
                catch (RpcException ex)
                {
                    failures.Add(ex.StatusCode);
                    return; // the Api is going away: new calls cannot be made
                }
            }
        }

        var clients = Enumerable.Range(0, 8).Select(SendAsync).ToArray();
        await Eventually.Until(() => Task.FromResult(succeeded.Count), count => count >= 20, TimeSpan.FromSeconds(60), count => $"{count} successes before SIGTERM");
        var byItself = await pipeline.Api.StopAsync(TimeSpan.FromSeconds(40));
        stop.Cancel();
        await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.True(byItself, $"the Api did not exit within 40 s of SIGTERM\n{pipeline.Logs()}");
        // A call cut off by the closing connection may end in any transport status; a valid batch is never refused as invalid.
        Assert.DoesNotContain(StatusCode.InvalidArgument, failures);
        var rows = await pipeline.WaitForRowsAsync("event", $"device_id = '{device}'", succeeded.Count);
        var stored = rows.Select(r => r.GetProperty("event_id").GetString()).ToHashSet();
        var lost = succeeded.Where(id => !stored.Contains(id)).ToList();
        Assert.True(lost.Count == 0, $"answered SUCCESS but not stored: {string.Join(", ", lost.Take(10))}");
        TestContext.Current.SendDiagnosticMessage($"{succeeded.Count} calls answered SUCCESS, all stored; {failures.Count} cut off while stopping ({string.Join(", ", failures.Distinct())})");
    }
}

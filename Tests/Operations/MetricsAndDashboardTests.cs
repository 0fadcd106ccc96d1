using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Grpc.Core;
using static Events.Tests.EndToEnd.TestBatches;

namespace Events.Tests.Operations;

/// <summary><c>/metrics</c> counts what the front door did; the dashboard opens only with the configured credentials.</summary>
public sealed class MetricsAndDashboardTests(OperationsFixture fixture) : IClassFixture<OperationsFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Metrics_AfterDispatches_CountAcceptedAndRefusedEventsPerTypeAndTimeThem()
    {
        const string accepted = "events_accepted_total{source=\"grpc\",type=\"LaunchEvent\"}";
        const string acceptedToo = "events_accepted_total{source=\"grpc\",type=\"PageOpenedEvent\"}";
        const string refused = "events_refused_total{source=\"grpc\",type=\"PageOpenedEvent\",reason=\"invalidargument\"}";
        const string timed = "events_dispatch_duration_seconds_count{source=\"grpc\",outcome=\"success\"}";
        var before = await ScrapeAsync();
        var device = "metrics-" + Guid.NewGuid().ToString("N");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        await fixture.Pipeline.DispatchAsync(new Protos.Events
        {
            Header = Header(device),
            Events_ = { Launch(device + "-1", now), PageOpened(device + "-0", now), Launch(device + "-2", now), Launch(device + "-3", now) },
        });
        var invalid = new Protos.Events { Header = Header(device), Events_ = { PageOpened(device + "-4", now), PageOpened("", now) } };
        var refusal = await Assert.ThrowsAsync<RpcException>(() => fixture.Pipeline.Client.dispatchAsync(invalid, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, refusal.StatusCode);
        var after = await ScrapeAsync();

        // Other tests of the class may dispatch too: at least ours.
        Assert.True(Value(after, accepted) - Value(before, accepted) >= 3, $"{accepted}: {Value(before, accepted)} → {Value(after, accepted)}");
        Assert.True(Value(after, acceptedToo) - Value(before, acceptedToo) >= 1, $"{acceptedToo}: {Value(before, acceptedToo)} → {Value(after, acceptedToo)}");
        Assert.True(Value(after, refused) - Value(before, refused) >= 2, $"{refused}: {Value(before, refused)} → {Value(after, refused)}");
        Assert.True(Value(after, timed) - Value(before, timed) >= 1, $"{timed}: {Value(before, timed)} → {Value(after, timed)}");
        Assert.Contains("events_dispatch_duration_seconds_bucket{source=\"grpc\",outcome=\"success\",le=\"0.1\"}", after);
    }

    [Fact]
    public async Task Dashboard_WithCredentialsConfigured_RefusesWithoutThemAndOpensWithThem()
    {
        using (var anonymous = await fixture.Http.GetAsync("dashboard", Ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.StartsWith("Basic", anonymous.Headers.WwwAuthenticate.ToString());
        }
        using (var wrong = await SendAsync("dashboard", OperationsFixture.DashboardUser, "not-the-password"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        using (var api = await fixture.Http.GetAsync("dashboard/version", Ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        }

        // The dashboard redirects /dashboard to /dashboard/, and HttpClient drops credentials on redirects.
        using var page = await SendAsync("dashboard/", OperationsFixture.DashboardUser, fixture.DashboardPassword);
        var html = await page.Content.ReadAsStringAsync(Ct);
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"{page.StatusCode}: {html[..Math.Min(300, html.Length)]}");
        Assert.Contains("<html", html, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<HttpResponseMessage> SendAsync(string path, string user, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return await fixture.Http.SendAsync(request, Ct);
    }

    private async Task<string> ScrapeAsync()
    {
        using var response = await fixture.Http.GetAsync("metrics", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Ct);
    }

    private static double Value(string scrape, string series)
    {
        var match = Regex.Match(scrape, "^" + Regex.Escape(series) + " (\\S+)$", RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }
}

using System.Net;

namespace Events.Tests.Webhooks;

/// <summary>When the Api cannot promise the events are stored, it says so with 503 and the provider retries.</summary>
public sealed class WebhookUnavailableTests(ImpatientApiFixture fixture) : IClassFixture<ImpatientApiFixture>
{
    [Fact]
    public async Task EventsNotConfirmedInTime_Are503WithRetryAfter()
    {
        using var response = await fixture.Sender.SendAsync(ProviderCases.Branch.Request(Sample.New()));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.Contains("were not stored within 1 ms; retry", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("webengage")]
    [InlineData("shopify")]
    [InlineData("graphy")]
    [InlineData("vidooly")]
    public async Task ProviderWithoutACredential_Is503NotConfigured(string provider)
    {
        using var response = await fixture.Sender.SendAsync(ProviderCases.Get(provider).Request(Sample.New()));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Null(response.Headers.RetryAfter);
        Assert.Contains($"{provider} webhooks are not configured on this server", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}

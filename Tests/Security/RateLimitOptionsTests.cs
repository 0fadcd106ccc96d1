using Events.Api.Security;

namespace Events.Tests.Security;

public sealed class RateLimitOptionsTests
{
    private static readonly AuthOptions Auth = new() { Enabled = true, Keys = { ["mobile"] = ["mobile-key-0123456789ab"], ["bulk"] = ["bulk-key-0123456789abcd"] } };

    [Fact]
    public void ClientWithARateOfItsOwn_GetsIt_AValueLeftOutIsTheDefault()
    {
        var options = new RateLimitOptions { Enabled = true, RequestsPerSecond = 10, Burst = 20, Clients = { ["bulk"] = new() { Burst = 500 } } };

        Assert.Empty(options.Problems(Auth));
        Assert.Equal((10, 500), options.For("bulk"));
        Assert.Equal((10, 20), options.For("mobile"));
        Assert.Equal((10, 20), options.For(null));
    }

    [Fact]
    public void Problems_AreAllListed()
    {
        var options = new RateLimitOptions
        {
            Enabled = true,
            RequestsPerSecond = 0,
            Clients = { ["bulk"] = new() { Burst = -1 }, ["empty"] = new(), ["typo"] = new() { RequestsPerSecond = 5 } },
        };

        var problems = options.Problems(Auth).ToList();

        Assert.Contains(problems, p => p.StartsWith("Events:RateLimit:RequestsPerSecond 0 and Burst 200 must be positive."));
        Assert.Contains(problems, p => p.StartsWith("Events:RateLimit:Clients:bulk:RequestsPerSecond  and Burst -1 must be positive."));
        Assert.Contains(problems, p => p == "Events:RateLimit:Clients:empty sets neither RequestsPerSecond nor Burst.");
        Assert.Contains(problems, p => p == "Events:RateLimit:Clients:typo names a client with no key in Events:Auth:Keys.");
        Assert.Contains(problems, p => p == "Events:RateLimit:Clients:empty names a client with no key in Events:Auth:Keys.");
        Assert.Equal(5, problems.Count);
    }

    [Fact]
    public void ClientRates_WithoutApiKeys_AreRefused()
    {
        var options = new RateLimitOptions { Enabled = true, Clients = { ["bulk"] = new() { Burst = 5 } } };

        Assert.Contains(options.Problems(new AuthOptions()), p => p.StartsWith("Events:RateLimit:Clients needs Events:Auth:Enabled"));
        Assert.Empty(new RateLimitOptions { Clients = { ["bulk"] = new() { Burst = 5 } } }.Problems(new AuthOptions()));
    }
}

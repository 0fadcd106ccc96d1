using Events.Api.Dispatch;
using Events.Api.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Events.Tests.Unit;

/// <summary><c>Events:Dispatch</c> as the Api binds and validates it at start-up (<c>AddEventsApi</c>).</summary>
public sealed class DispatchOptionsStartupTests
{
    [Fact]
    public void MaxEventsInFlight_Unset_IsTwentyThousand()
    {
        Assert.Equal(20_000, Dispatch([]).MaxEventsInFlight);
    }

    [Fact]
    public void MaxEventsInFlight_BelowAFullBatch_StopsTheStartUp()
    {
        var failure = Assert.Throws<OptionsValidationException>(() =>
            Dispatch(new() { ["Events:Dispatch:MaxEventsInFlight"] = "4999", ["Events:Limits:MaxEventsPerBatch"] = "5000" }));

        Assert.Contains("Events:Dispatch:MaxEventsInFlight must be at least Events:Limits:MaxEventsPerBatch", failure.Message);
    }

    [Fact]
    public void MaxEventsInFlight_AtLeastAFullBatch_IsAccepted()
    {
        Assert.Equal(500, Dispatch(new() { ["Events:Dispatch:MaxEventsInFlight"] = "500", ["Events:Limits:MaxEventsPerBatch"] = "500" }).MaxEventsInFlight);
    }

    private static DispatchOptions Dispatch(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "DispatchOptionsStartupTests" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddEventsApi();
        using var app = builder.Build();
        return app.Services.GetRequiredService<IOptions<DispatchOptions>>().Value;
    }
}

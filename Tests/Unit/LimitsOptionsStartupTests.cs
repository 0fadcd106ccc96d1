using Events.Api.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Events.Tests.Unit;

/// <summary><c>Events:Limits</c> as the Api binds and validates it at start-up (<c>AddEventsSecurity</c>).</summary>
public sealed class LimitsOptionsStartupTests
{
    [Fact]
    public void ClockSkew_Unset_IsOneMinute()
    {
        Assert.Equal(TimeSpan.FromMinutes(1), Limits([]).ClockSkew);
    }

    [Theory]
    [InlineData("00:00:00", 0)]
    [InlineData("00:00:05", 5_000)]
    [InlineData("1.00:00:00", 86_400_000)]
    public void ClockSkew_FromZeroToOneDay_IsAccepted(string value, long milliseconds)
    {
        Assert.Equal(milliseconds, (long)Limits(new() { ["Events:Limits:ClockSkew"] = value }).ClockSkew.TotalMilliseconds);
    }

    [Theory]
    [InlineData("-00:00:01")]
    [InlineData("1.00:00:01")]
    [InlineData("7.00:00:00")]
    public void ClockSkew_OutsideZeroToOneDay_StopsTheStartUp_WithEveryProblemListed(string value)
    {
        var failure = Assert.Throws<OptionsValidationException>(() =>
            Limits(new() { ["Events:Limits:ClockSkew"] = value, ["Events:Limits:MaxEventsPerBatch"] = "0" }));

        Assert.Equal(
        [
            "Events:Limits:MaxEventsPerBatch 0 must be between 1 and 100000.",
            $"Events:Limits:ClockSkew {TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture)} must be between 00:00:00 and 1.00:00:00 (0 flags every future timestamp).",
        ], failure.Failures);
    }

    private static LimitsOptions Limits(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "LimitsOptionsStartupTests" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddEventsSecurity();
        using var app = builder.Build();
        return app.Services.GetRequiredService<IOptions<LimitsOptions>>().Value;
    }
}

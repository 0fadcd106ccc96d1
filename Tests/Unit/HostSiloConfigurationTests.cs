using Events.Api.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace Events.Tests.Unit;

/// <summary>
/// <c>Events:Api:HostSilo</c>: the Api then also reads the silo's settings file (<c>silo.appsettings.json</c>), after its
/// own and before the environment, so an environment variable still overrides a silo setting.
/// </summary>
public sealed class HostSiloConfigurationTests
{
    [Fact]
    public void HostSilo_ReadsTheSilosSettings_AndLaterSourcesStillWin()
    {
        var configuration = Configure(new() { ["Events:Api:HostSilo"] = "true", ["Events:ClickHouse:Port"] = "18123" });

        Assert.Equal("events", configuration["Events:ClickHouse:Database"]);  // only the silo's file has it
        Assert.Equal("18123", configuration["Events:ClickHouse:Port"]);       // the silo's file says 8123
    }

    [Fact]
    public void WithoutHostSilo_TheSilosSettingsAreNotRead()
    {
        Assert.Null(Configure([])["Events:ClickHouse:Database"]);
    }

    private static IConfiguration Configure(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = nameof(HostSiloConfigurationTests) });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddEventsApi();
        return builder.Configuration;
    }
}

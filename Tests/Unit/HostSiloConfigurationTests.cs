using Events.Api.Hosting;
using Events.Tests.Infrastructure;
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
        // The Api's own appsettings.json. The tests' output has one too, but from whichever of the Api and the Silo the
        // build copied last (after an edit of the silo's file, the silo's), and the silo's has the key tested for.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = nameof(HostSiloConfigurationTests),
            ContentRootPath = Path.GetDirectoryName(RepoPaths.BuildOutput("Api")),
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddEventsApi();
        return builder.Configuration;
    }
}

using Events.Tests.Infrastructure;

namespace Events.Tests.Operations;

/// <summary>A pipeline whose Api protects its dashboard with basic auth, and clients of its two ports.</summary>
public sealed class OperationsFixture : IAsyncLifetime
{
    public const string DashboardUser = "operator";
    public readonly string DashboardPassword = "pw-" + Guid.NewGuid().ToString("N");

    public PipelineFixture Pipeline { get; } = new();
    public HttpClient Http { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Pipeline.ApiEnvironment["Events__Dashboard__User"] = DashboardUser;
        Pipeline.ApiEnvironment["Events__Dashboard__Password"] = DashboardPassword;
        await Pipeline.InitializeAsync();
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Pipeline.HttpPort}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        await Pipeline.DisposeAsync();
    }
}

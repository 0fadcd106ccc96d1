using Events.Tests.Infrastructure;

namespace Events.Tests.Security;

/// <summary>
/// Another Api process on a pipeline's cluster and services, on ports of its own, with settings of its own (TLS, an
/// unreachable Redis...): what one deployment's instances may differ in, while the silo and the stores stay shared.
/// </summary>
public sealed class SecondApi : IAsyncDisposable
{
    private SecondApi(ProcessHost process, int grpcPort, int httpPort)
    {
        Process = process;
        GrpcPort = grpcPort;
        HttpPort = httpPort;
    }

    public ProcessHost Process { get; }
    public int GrpcPort { get; }
    public int HttpPort { get; }

    /// <summary>Starts it and waits until <paramref name="http"/> (based on its HTTP port) gets 200 from <c>/readyz</c>.</summary>
    public static async Task<SecondApi> StartAsync(PipelineFixture pipeline, string name, IReadOnlyDictionary<string, string> settings,
        Func<int, HttpClient> http)
    {
        var grpcPort = LocalServices.FreeTcpPort();
        var httpPort = LocalServices.FreeTcpPort();
        var environment = new Dictionary<string, string>(pipeline.ApiStartEnvironment)
        {
            ["Events__Api__GrpcPort"] = grpcPort.ToString(),
            ["Events__Api__HttpPort"] = httpPort.ToString(),
        };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }
        var api = new SecondApi(ProcessHost.Start(name, "Api", environment), grpcPort, httpPort);
        using var client = http(httpPort);
        try
        {
            await Eventually.Until(async () =>
            {
                if (api.Process.HasExited)
                {
                    throw new InvalidOperationException($"{name} exited during start-up.\n{api.Process.Tail()}");
                }
                try
                {
                    using var response = await client.GetAsync("readyz");
                    return (int)response.StatusCode;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    return 0; // not listening yet
                }
            }, status => status == 200, TimeSpan.FromSeconds(90), status => $"{name} /readyz answered {status}\n{api.Process.Tail()}");
        }
        catch
        {
            await api.DisposeAsync();
            throw;
        }
        return api;
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}

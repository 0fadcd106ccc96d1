using System.Text.Json.Nodes;

namespace Events.Tests.Unit;

/// <summary>
/// The processes that share the cores under load ship with thread-pool spinning off: below peak, spinning took about
/// half of the silo's and the Api's CPU and lengthened the dispatch tail (BENCHMARKS.md, "Where the dispatch time goes
/// below peak"). The silo and the Api also run without tiered compilation, so a fresh process is not slow under load
/// ("A freshly started cluster is slower"). The build copies each referenced host's runtimeconfig.json next to the tests.
/// </summary>
public sealed class HostRuntimeConfigTests
{
    private const string SpinLimit = "System.Threading.ThreadPool.UnfairSemaphoreSpinLimit";
    private const string TieredCompilation = "System.Runtime.TieredCompilation";

    private static JsonNode? Property(string host, string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, $"{host}.runtimeconfig.json");
        return JsonNode.Parse(File.ReadAllText(path))!["runtimeOptions"]?["configProperties"]?[name];
    }

    [Theory]
    [InlineData("Silo")]
    [InlineData("Api")]
    [InlineData("Bench")]
    public void Host_ThreadPoolSpinning_IsOff(string host)
    {
        var limit = Property(host, SpinLimit);

        Assert.NotNull(limit);
        Assert.Equal(0, limit.GetValue<int>());
    }

    [Theory]
    [InlineData("Silo")]
    [InlineData("Api")]
    public void ServerHost_RunsFullyOptimizedCodeFromTheStart(string host)
    {
        var tiered = Property(host, TieredCompilation);

        Assert.NotNull(tiered);
        Assert.False(tiered.GetValue<bool>());
    }
}

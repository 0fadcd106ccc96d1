using System.Text.Json.Nodes;

namespace Events.Tests.Unit;

/// <summary>
/// The processes that share the cores under load ship with thread-pool spinning off: below peak, spinning took about
/// half of the silo's and the Api's CPU and lengthened the dispatch tail (BENCHMARKS.md, "Where the dispatch time goes
/// below peak"). The build copies each referenced host's runtimeconfig.json next to the tests.
/// </summary>
public sealed class HostRuntimeConfigTests
{
    private const string SpinLimit = "System.Threading.ThreadPool.UnfairSemaphoreSpinLimit";

    [Theory]
    [InlineData("Silo")]
    [InlineData("Api")]
    [InlineData("Bench")]
    public void Host_ThreadPoolSpinning_IsOff(string host)
    {
        var path = Path.Combine(AppContext.BaseDirectory, $"{host}.runtimeconfig.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!;

        var limit = config["runtimeOptions"]?["configProperties"]?[SpinLimit];

        Assert.NotNull(limit);
        Assert.Equal(0, limit.GetValue<int>());
    }
}

using Events.Tests.Infrastructure;

namespace Events.Tests.Operations;

/// <summary>The Orleans Dashboard as an operator sees it: loaded in headless Chromium, with the credentials.</summary>
public sealed class DashboardBrowserTests(OperationsFixture fixture) : IClassFixture<OperationsFixture>
{
    [Fact]
    public async Task Dashboard_InHeadlessChromium_ShowsTheSiloAndOurGrainTypes()
    {
        HeadlessChromium.Require();
        var url = $"http://{OperationsFixture.DashboardUser}:{fixture.DashboardPassword}@127.0.0.1:{fixture.Pipeline.HttpPort}/dashboard/";
        // Activate our grains, so the dashboard has them to show.
        var device = "dashboard-" + Guid.NewGuid().ToString("N");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await fixture.Pipeline.DispatchAsync(new Protos.Events { Header = EndToEnd.TestBatches.Header(device), Events_ = { EndToEnd.TestBatches.Launch(device + "-1", now) } });
        await fixture.Pipeline.WaitForRowsAsync("event", $"device_id = '{device}'", 1);

        var dom = await Eventually.Until(() => HeadlessChromium.DumpDomAsync(url + "#/grains", TimeSpan.FromSeconds(10)),
            html => html.Contains("EventWorkerGrain") && html.Contains("TableSinkGrain") && html.Contains("Silo", StringComparison.OrdinalIgnoreCase),
            TimeSpan.FromSeconds(60),
            html => $"the dashboard did not show the silo and EventWorkerGrain/TableSinkGrain; page text: {Text(html)}");

        Assert.Contains("127.0.0.1", dom);
        var screenshot = Path.Combine(RepoPaths.Root, "docs", "dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await HeadlessChromium.ScreenshotAsync(url, TimeSpan.FromSeconds(10), screenshot);
        Assert.True(new FileInfo(screenshot).Length > 10_000, $"{screenshot} is too small to show a page");
    }

    private static string Text(string html)
    {
        var text = System.Text.RegularExpressions.Regex.Replace(html, "<script.*?</script>|<style.*?</style>|<[^>]+>", " ",
            System.Text.RegularExpressions.RegexOptions.Singleline);
        text = System.Text.RegularExpressions.Regex.Replace(text, "\\s+", " ");
        return text[..Math.Min(3000, text.Length)];
    }
}

using System.Diagnostics;

namespace Events.Tests.Operations;

/// <summary>The machine's Debian Chromium, headless: the rendered DOM of a page, or a screenshot of it.</summary>
internal static class HeadlessChromium
{
    private const string Executable = "/usr/bin/chromium";

    public static void Require()
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: install it with apt-get install -y chromium.");
        }
    }

    /// <summary>The DOM after the page's scripts ran for <paramref name="budget"/> of virtual time.</summary>
    public static Task<string> DumpDomAsync(string url, TimeSpan budget) => RunAsync(url, budget, "--dump-dom");

    public static Task<string> ScreenshotAsync(string url, TimeSpan budget, string file) => RunAsync(url, budget, $"--screenshot={file}");

    private static async Task<string> RunAsync(string url, TimeSpan budget, string action)
    {
        var profile = Directory.CreateTempSubdirectory("chromium-");
        try
        {
            var info = new ProcessStartInfo(Executable,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--window-size=1440,1000",
                $"--user-data-dir={profile.FullName}", $"--virtual-time-budget={(int)budget.TotalMilliseconds}", action, url,
            ])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(info) ?? throw new InvalidOperationException("chromium did not start");
            var output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(budget + TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium did not finish {action} of {url} in time");
            }
            return await output;
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }
}

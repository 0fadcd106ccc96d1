using Events.Grains.Tables;
using Microsoft.Extensions.Options;

namespace Events.Silo.HttpApi;

internal sealed class HttpApiOptionsValidator(TableCatalog catalog) : IValidateOptions<HttpApiOptions>
{
    // A sink delivery waits for its rows' write, which must end well inside Orleans' 30 s call timeout.
    private static readonly TimeSpan MaxWorstCase = TimeSpan.FromSeconds(20);

    public ValidateOptionsResult Validate(string? name, HttpApiOptions options)
    {
        var problems = new List<string>();
        const string section = HttpApiOptions.Section;
        if (options.MaxAttempts is < 1 or > 10)
        {
            problems.Add($"{section}:MaxAttempts must be between 1 and 10.");
        }
        if (options.RetryDelay < TimeSpan.Zero || options.RetryDelay > TimeSpan.FromSeconds(10))
        {
            problems.Add($"{section}:RetryDelay must be between 0 and 10 seconds.");
        }
        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            problems.Add($"{section}:RequestTimeout must be positive.");
        }
        else if (WorstCase(options) > MaxWorstCase)
        {
            problems.Add($"{section}: MaxAttempts x RequestTimeout plus the retry delays ({WorstCase(options).TotalSeconds:0.#} s) must stay within {MaxWorstCase.TotalSeconds:0} s.");
        }
        foreach (var (table, target) in options.Targets)
        {
            var key = $"{section}:Targets:{table}";
            if (!catalog.Contains(table) || catalog.Get(table).Store != SinkStore.HttpApi)
            {
                problems.Add($"{key}: '{table}' is not an HTTP API table (known: {string.Join(", ", catalog.Tables.Where(t => t.Store == SinkStore.HttpApi).Select(t => t.Name))}).");
            }
            if (target.Url.Length == 0)
            {
                continue;
            }
            if (!Uri.TryCreate(target.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                problems.Add($"{key}:Url must be an absolute http or https URL.");
            }
            if (string.IsNullOrWhiteSpace(target.ApiKey))
            {
                problems.Add($"{key}:ApiKey is empty; the API needs one (set it through the environment).");
            }
            if (target.MaxEventsPerRequest is < 1 or > 1000)
            {
                problems.Add($"{key}:MaxEventsPerRequest must be between 1 and 1000.");
            }
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static TimeSpan WorstCase(HttpApiOptions options)
    {
        var delays = Enumerable.Range(0, Math.Max(0, options.MaxAttempts - 1)).Sum(n => options.RetryDelay.TotalMilliseconds * 1.2 * Math.Pow(2, n));
        return options.RequestTimeout * options.MaxAttempts + TimeSpan.FromMilliseconds(delays);
    }
}

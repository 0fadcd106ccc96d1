using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Events.Silo.ClickHouse;

internal sealed partial class ClickHouseOptionsValidator : IValidateOptions<ClickHouseOptions>
{
    public ValidateOptionsResult Validate(string? name, ClickHouseOptions options)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Host))
        {
            problems.Add("Events:ClickHouse:Host is empty.");
        }
        if (options.Port is < 1 or > 65535)
        {
            problems.Add($"Events:ClickHouse:Port {options.Port} is not a TCP port.");
        }
        if (!DatabaseName().IsMatch(options.Database))
        {
            problems.Add($"Events:ClickHouse:Database '{options.Database}' must be letters, digits and underscores.");
        }
        if (options.CommandTimeout <= TimeSpan.Zero)
        {
            problems.Add("Events:ClickHouse:CommandTimeout must be positive.");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex DatabaseName();
}

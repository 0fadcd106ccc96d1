using Microsoft.Extensions.Options;

namespace Events.Grains.Sinks;

/// <summary>Start-up validation of <see cref="SinkWatchdogOptions"/>, every problem listed.</summary>
internal sealed class SinkWatchdogOptionsValidator : IValidateOptions<SinkWatchdogOptions>
{
    public ValidateOptionsResult Validate(string? name, SinkWatchdogOptions options)
    {
        var problems = options.Problems().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

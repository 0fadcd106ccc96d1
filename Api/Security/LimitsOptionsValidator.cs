using Microsoft.Extensions.Options;

namespace Events.Api.Security;

/// <summary>Stops the start-up with every problem of <c>Events:Limits</c> listed.</summary>
internal sealed class LimitsOptionsValidator : IValidateOptions<LimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, LimitsOptions options)
    {
        var problems = options.Problems().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

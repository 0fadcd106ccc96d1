using Grpc.AspNetCore.Server;
using Grpc.AspNetCore.Server.Model;
using Events.Api.Dispatch;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Events.Api.Security;

public static class SecurityHostingExtensions
{
    /// <summary>
    /// Input limits for gRPC dispatch (<c>Events:Limits</c>), optional API keys (<c>Events:Auth</c>) and per-client rate
    /// limits (<c>Events:RateLimit</c>), validated at start-up.
    /// </summary>
    public static WebApplicationBuilder AddEventsSecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var section = builder.Configuration.GetSection(LimitsOptions.Section);
        services.AddOptions<LimitsOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LimitsOptions>, LimitsOptionsValidator>();
        // gRPC refuses a larger message with RESOURCE_EXHAUSTED before reading it.
        services.AddOptions<GrpcServiceOptions>().Configure<IOptions<LimitsOptions>>((grpc, limits) =>
        {
            grpc.MaxReceiveMessageSize = limits.Value.MaxRequestBytes;
            grpc.EnableDetailedErrors = false;
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<EventService>, DispatchMethodProvider>());
        services.AddSingleton<SecurityMetrics>();

        var auth = Load<AuthOptions>(builder.Configuration, AuthOptions.Section);
        var rate = Load<RateLimitOptions>(builder.Configuration, RateLimitOptions.Section);
        var problems = auth.Problems().Concat(rate.Problems(auth)).ToList();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Invalid configuration: " + string.Join(" ", problems));
        }
        services.AddSingleton(new ApiKeys(auth));
        services.AddRateLimiter(limiter => ClientRateLimiter.Configure(limiter, rate));
        return builder;
    }

    /// <summary>API keys, then per-client rate limits, in front of dispatch and the webhooks.</summary>
    public static WebApplication UseEventsSecurity(this WebApplication app)
    {
        app.UseMiddleware<ApiKeyMiddleware>();
        app.UseRateLimiter();
        return app;
    }

    private static T Load<T>(IConfiguration configuration, string section) where T : new() =>
        configuration.GetSection(section).Get<T>() ?? new T();
}

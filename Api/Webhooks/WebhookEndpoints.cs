using Events.Api.Hosting;

namespace Events.Api.Webhooks;

/// <summary>Registers and maps <c>POST /{provider}/event</c> for every provider in <see cref="WebhookProviders"/>.</summary>
public static class WebhookEndpoints
{
    /// <summary>Reads and validates <c>Events:Webhooks</c>; a bad setting stops the start-up with every problem listed.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        var options = WebhookOptions.Load(configuration);
        var cluster = configuration.GetSection(ClientClusterOptions.Section).Get<ClientClusterOptions>() ?? new();
        var problems = options.Problems().ToList();
        if (WebhookProviders.All.Any(p => options.AuthFor(p) == WebhookAuth.TimestampedHmac) && !IsRedisConnectionString(cluster.RedisConnectionString))
        {
            problems.Add($"{ClientClusterOptions.Section}:RedisConnectionString is not a Redis connection string; signed webhooks keep the signatures they saw there.");
        }
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Invalid configuration: " + string.Join(" ", problems));
        }
        services.AddSingleton(options);
        // Seen signatures live in the cluster's Redis (Events:Cluster:RedisConnectionString), shared by every Api instance.
        services.AddSingleton(sp => new WebhookReplays(cluster.RedisConnectionString, cluster.ServiceId, sp.GetRequiredService<ILogger<WebhookReplays>>()));
        services.AddSingleton<WebhookHandler>();
        return services;
    }

    private static bool IsRedisConnectionString(string value)
    {
        try
        {
            return StackExchange.Redis.ConfigurationOptions.Parse(value).EndPoints.Count > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<WebhookOptions>();
        foreach (var provider in WebhookProviders.All)
        {
            app.MapPost(provider.Route, (HttpContext context, WebhookHandler handler) =>
            {
                WebhookMetrics.TimeResponse(provider.Name, context);
                return handler.HandleAsync(provider, context);
            });
        }
        var enabled = WebhookProviders.All.Where(p => options.CredentialFor(p) is not null).Select(p => p.Name).ToList();
        var disabled = WebhookProviders.All.Select(p => p.Name).Except(enabled).ToList();
        WebhookLog.Configured(app.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebhookEndpoints)),
            enabled.Count == 0 ? "none" : string.Join(", ", enabled), disabled.Count == 0 ? "none" : string.Join(", ", disabled));
        return app;
    }
}

namespace Events.Api.Webhooks;

/// <summary>
/// The webhook endpoints' settings (<c>Events:Webhooks</c>): a body size limit and, per provider, its credential
/// (<c>Events:Webhooks:Shopify:Secret</c>, <c>Events:Webhooks:Branch:Token</c>...). Set credentials through the
/// environment (<c>Events__Webhooks__Shopify__Secret</c>); they are never logged. A provider without one is disabled:
/// its endpoint answers 503 until it is configured, so the provider retries rather than dropping the events.
/// </summary>
internal sealed class WebhookOptions
{
    public const string Section = "Events:Webhooks";
    public const int MinimumSecretLength = 16;

    /// <summary>Larger bodies are refused with 413 (also when sent chunked). Default 1 MiB.</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>By provider name; filled by <see cref="Load"/> from each provider's own section.</summary>
    public Dictionary<string, WebhookCredentials> Providers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public static WebhookOptions Load(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var options = new WebhookOptions();
        section.Bind(options);
        foreach (var provider in WebhookProviders.All)
        {
            options.Providers[provider.Name] = section.GetSection(provider.Name).Get<WebhookCredentials>() ?? new();
        }
        return options;
    }

    /// <summary>The provider's credential, or null when the provider is disabled.</summary>
    public string? CredentialFor(WebhookProvider provider) =>
        Providers.TryGetValue(provider.Name, out var credentials) && credentials.For(provider.Auth) is { Length: > 0 } value ? value : null;

    public IEnumerable<string> Problems()
    {
        if (MaxBodyBytes is < 1024 or > 16 * 1024 * 1024)
        {
            yield return $"{Section}:MaxBodyBytes {MaxBodyBytes} must be between 1024 and 16777216.";
        }
        foreach (var provider in WebhookProviders.All)
        {
            var credentials = Providers.GetValueOrDefault(provider.Name) ?? new();
            var (wanted, unwanted) = provider.Auth == WebhookAuth.ShopifyHmac ? ("Secret", credentials.Token) : ("Token", credentials.Secret);
            if (unwanted.Length > 0)
            {
                yield return $"{Section}:{provider.Name} is authenticated with a {wanted}; the other setting is not used. Set only {Section}:{provider.Name}:{wanted}.";
            }
            if (credentials.For(provider.Auth) is { Length: > 0 and < MinimumSecretLength })
            {
                yield return $"{Section}:{provider.Name}:{wanted} is shorter than {MinimumSecretLength} characters.";
            }
        }
    }
}

/// <summary>One provider's credential: a shared <see cref="Token"/>, or Shopify's HMAC <see cref="Secret"/>. Default empty (disabled).</summary>
internal sealed class WebhookCredentials
{
    public string Token { get; set; } = "";
    public string Secret { get; set; } = "";

    public string For(WebhookAuth auth) => auth == WebhookAuth.ShopifyHmac ? Secret : Token;
}

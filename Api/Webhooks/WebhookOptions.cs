namespace Events.Api.Webhooks;

/// <summary>
/// The webhook endpoints' settings (<c>Events:Webhooks</c>): a body size limit and, per provider, its credential
/// (<c>Events:Webhooks:Shopify:Secret</c>, <c>Events:Webhooks:Branch:Token</c>...). Set credentials through the
/// environment (<c>Events__Webhooks__Shopify__Secret</c>); they are never logged. A provider without one is disabled:
/// its endpoint answers 503 until it is configured, so the provider retries rather than dropping the events.
/// A token provider whose sender can sign gets a <c>SigningSecret</c> instead of a <c>Token</c>: it must then send
/// timestamped signatures (<see cref="WebhookAuth.TimestampedHmac"/>), refused outside <see cref="SignatureTolerance"/>
/// and accepted once each.
/// </summary>
internal sealed class WebhookOptions
{
    public const string Section = "Events:Webhooks";
    public const int MinimumSecretLength = 16;

    /// <summary>Larger bodies are refused with 413 (also when sent chunked). Default 1 MiB.</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// How far a timestamped signature's time may be from the server's, either way; a signature is remembered for twice
    /// this (the longest it can be accepted). Default 5 minutes.
    /// </summary>
    public TimeSpan SignatureTolerance { get; set; } = TimeSpan.FromMinutes(5);

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

    /// <summary>How the provider's requests are checked: its own scheme, or timestamped signatures when it has a SigningSecret.</summary>
    public WebhookAuth AuthFor(WebhookProvider provider) =>
        provider.Auth == WebhookAuth.SharedToken && Providers.GetValueOrDefault(provider.Name)?.SigningSecret is { Length: > 0 }
            ? WebhookAuth.TimestampedHmac
            : provider.Auth;

    /// <summary>The provider's credential, or null when the provider is disabled.</summary>
    public string? CredentialFor(WebhookProvider provider) =>
        Providers.TryGetValue(provider.Name, out var credentials) && credentials.For(AuthFor(provider)) is { Length: > 0 } value ? value : null;

    public IEnumerable<string> Problems()
    {
        if (MaxBodyBytes is < 1024 or > 16 * 1024 * 1024)
        {
            yield return $"{Section}:MaxBodyBytes {MaxBodyBytes} must be between 1024 and 16777216.";
        }
        if (SignatureTolerance < TimeSpan.FromSeconds(10) || SignatureTolerance > TimeSpan.FromHours(1))
        {
            yield return $"{Section}:SignatureTolerance {SignatureTolerance} must be between 00:00:10 and 01:00:00.";
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
            if (credentials.SigningSecret.Length > 0)
            {
                if (provider.Auth == WebhookAuth.ShopifyHmac)
                {
                    yield return $"{Section}:{provider.Name}:SigningSecret is not used: Shopify signs with its own HMAC. Set only {Section}:{provider.Name}:Secret.";
                }
                else if (credentials.Token.Length > 0)
                {
                    // Accepting the token as well would let a replayed request in without its signature.
                    yield return $"{Section}:{provider.Name} has both a Token and a SigningSecret; set one.";
                }
                else if (credentials.SigningSecret.Length < MinimumSecretLength)
                {
                    yield return $"{Section}:{provider.Name}:SigningSecret is shorter than {MinimumSecretLength} characters.";
                }
            }
        }
    }
}

/// <summary>
/// One provider's credential: a shared <see cref="Token"/>, Shopify's HMAC <see cref="Secret"/>, or the
/// <see cref="SigningSecret"/> of a sender that signs with a timestamp. Default empty (disabled).
/// </summary>
internal sealed class WebhookCredentials
{
    public string Token { get; set; } = "";
    public string Secret { get; set; } = "";
    public string SigningSecret { get; set; } = "";

    public string For(WebhookAuth auth) => auth switch
    {
        WebhookAuth.ShopifyHmac => Secret,
        WebhookAuth.TimestampedHmac => SigningSecret,
        _ => Token,
    };
}
